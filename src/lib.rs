//! tradegraph: a GraphQL data API about relations between countries — trade flows, aid,
//! memberships of organisations, import dependencies — each figure with its source.
//!
//! `app(state)` is the router; `build_schema(..)` the GraphQL schema; `run(cli)` what the
//! binary does.

pub mod config;
pub mod db;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod progress;
pub mod reference;
pub mod service;
pub mod shared;
pub mod sql_indicators;

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

pub use config::Cli;
use config::{Command, ComtradeImportArgs, GenerateArgs, ImportFormat, KeysCommand, ServeArgs};
pub use graphql::{AppSchema, build_schema};
pub use http::{AppState, app};
use service::bundled::{self, DataSet};

use crate::error::{Error, Result};

/// Opens the database, migrates it and loads the bundled data when it is empty.
pub async fn prepare(args: &config::DbArgs) -> Result<sea_orm::DatabaseConnection> {
    prepare_with(args, None).await
}

/// `prepare`, with a PostgreSQL `statement_timeout` on every pooled connection.
pub async fn prepare_with(
    args: &config::DbArgs,
    statement_timeout: Option<Duration>,
) -> Result<sea_orm::DatabaseConnection> {
    let db = db::connect_with(args, statement_timeout).await?;
    db::migrate(&db).await?;
    if bundled::is_empty(&db).await? {
        let report = bundled::load(&db, DataSet::Bundled, service::pipeline::FIRST_START).await?;
        tracing::info!(?report, "loaded the bundled reference data into an empty database");
    }
    Ok(db)
}

/// Runs the command the command line asks for.
pub async fn run(cli: Cli) -> Result<()> {
    // A bare `tradegraph` serves with the top-level options (and their environment
    // variables), exactly as `tradegraph serve` does with its own.
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve(&cli.db, args).await,
        Command::Migrate => {
            let db = db::connect(&cli.db).await?;
            db::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::LoadReference(args) => {
            let db = db::connect(&cli.db).await?;
            db::migrate(&db).await?;
            let data = match &args.data_dir {
                Some(dir) => DataSet::Dir(dir),
                None => DataSet::Bundled,
            };
            let report = bundled::load(&db, data, service::pipeline::COMMAND_LINE).await?;
            for (table, n) in report.counts {
                println!("{table}\t{n}");
            }
            // On stderr: stdout lists what the data set holds, the same for every load.
            eprintln!(
                "{} rows inserted, {} updated",
                report.written.inserted, report.written.updated
            );
            Ok(())
        }
        Command::Schema => {
            print!("{}", sdl());
            Ok(())
        }
        Command::Keys(command) => keys(&cli.db, command).await,
        Command::Import(args) => match args.format {
            ImportFormat::Comtrade(args) => import_comtrade(&cli.db, &args).await,
        },
        Command::Generate(args) => generate_file(&args),
        Command::Sql(figure) => print_sql(&cli.db, figure).await,
    }
}

/// `keys create|list|revoke`.
async fn keys(db_args: &config::DbArgs, command: KeysCommand) -> Result<()> {
    use service::keys;
    let db = db::connect(db_args).await?;
    db::migrate(&db).await?;
    match command {
        KeysCommand::Create { name, scope } => {
            let scope = entity::enums::KeyScope::parse(&scope)
                .ok_or_else(|| error::Error::bad_input(format!("unknown scope {scope:?}")))?;
            let key = keys::create(&db, &name, scope).await?;
            println!(
                "Created the {} key {name:?}. It is shown only this once; keep it secret:",
                scope.as_str()
            );
            println!("{key}");
        }
        KeysCommand::List => {
            let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            };
            println!("name\tscope\tcreated\tlast_used\trevoked");
            for k in keys::list(&db).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    k.name,
                    k.scope.as_str(),
                    when(Some(k.created_at)),
                    when(k.last_used_at),
                    when(k.revoked_at)
                );
            }
        }
        KeysCommand::Revoke { name } => {
            let at = keys::revoke(&db, &name).await?;
            println!("revoked {name:?} (at {})", at.format("%Y-%m-%dT%H:%M:%SZ"));
        }
    }
    Ok(())
}

/// `import comtrade FILE`: loads the file, showing progress and a summary on stderr.
async fn import_comtrade(db_args: &config::DbArgs, args: &ComtradeImportArgs) -> Result<()> {
    let name = args.file.to_string_lossy().into_owned();
    let bytes = Arc::new(AtomicU64::new(0));
    let (input, total_bytes): (Box<dyn Read + Send>, Option<u64>) = if name == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = std::fs::File::open(&args.file).map_err(|e| Error::bad_input(format!("{name}: {e}")))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(file), len)
    };
    // Gzip is recognised by its magic number (by the importer), so `-` and any name work.
    let reader = progress::CountingReader::new(input, bytes.clone());

    let db = prepare(db_args).await?;
    let started = Instant::now();
    let progress = progress::ImportProgress::new(&name, bytes, total_bytes);
    let on_rows = |rows: u64| progress.update(rows);
    let options = service::comtrade::ImportOptions {
        progress: Some(&on_rows),
        method: match args.method {
            config::ImportMethod::Auto => service::comtrade::Method::Auto,
            config::ImportMethod::Portable => service::comtrade::Method::Portable,
        },
        ..Default::default()
    };
    let result = service::comtrade::import_with(&db, reader, &name, options).await;
    progress.finish();
    let report = result?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{name}: {} rows, {} inserted, {} updated, {} commodities added, {} breakdown rows and {} repeated rows skipped, \
         {seconds:.1} s, {:.0} rows/s",
        report.rows,
        report.inserted,
        report.updated,
        report.commodities_added,
        report.breakdown_skipped,
        report.repeats_skipped,
        report.rows as f64 / seconds.max(1e-9),
    );
    Ok(())
}

/// `generate`: writes a synthetic Comtrade-format file.
fn generate_file(args: &GenerateArgs) -> Result<()> {
    let path = args.out.as_ref().filter(|p| p.as_os_str() != "-");
    let out: Box<dyn Write> = match path {
        Some(p) => Box::new(std::fs::File::create(p).map_err(|e| Error::bad_input(format!("{}: {e}", p.display())))?),
        None => Box::new(std::io::stdout().lock()),
    };
    if path.is_some_and(|p| p.extension().is_some_and(|e| e == "gz")) {
        let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
        generate::generate(&mut gz, args.flows, args.seed)?;
        gz.finish()?.flush()?;
    } else {
        let mut out = out;
        generate::generate(&mut out, args.flows, args.seed)?;
        out.flush()?;
    }
    Ok(())
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    graphql::sdl()
}

async fn serve(db_args: &config::DbArgs, args: ServeArgs) -> Result<()> {
    // The database stops a statement that outlives the request it serves.
    let db = prepare_with(db_args, Some(Duration::from_secs(args.request_timeout_s.max(1)))).await?;
    let settings = args.settings().map_err(Error::bad_input)?;
    let mut state = AppState::new(db, &settings).await?;
    let read_urls = args.read_urls();
    if !read_urls.is_empty() {
        let timeout = Some(Duration::from_secs(args.request_timeout_s.max(1)));
        state = state
            .with_replicas(&read_urls, db_args.db_max_connections, timeout)
            .await?;
    }
    if state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Imports over HTTP run longer than a query: a small pool with their own timeout.
        let import_args = config::DbArgs {
            db_max_connections: 2,
            ..db_args.clone()
        };
        state.import_db =
            db::connect_with(&import_args, Some(settings.import_timeout.max(Duration::from_secs(1)))).await?;
    }
    if args.reference_refresh_s > 0 {
        let (db, refs) = (state.db.clone(), state.refs.clone());
        let every = Duration::from_secs(args.reference_refresh_s);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = refs.refresh(&db).await {
                    tracing::warn!(error = %e, "could not refresh the reference cache");
                }
            }
        });
    }
    let listener = http::listener::Listener(tokio::net::TcpListener::bind(args.listen).await?);
    tracing::info!("tradegraph listening on http://{}/graphql", listener.0.local_addr()?);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<http::listener::Peer>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shut down");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}

/// `sql FIGURE …`: prints the statement the server would run for the figure.
async fn print_sql(db_args: &config::DbArgs, figure: config::SqlCommand) -> Result<()> {
    use config::SqlCommand as S;
    use entity::enums::FlowKind;
    use error::Error;
    use service::figures as f;

    let db = db::connect(db_args).await?;
    let refs = reference::RefData::load(&db).await?;
    let backend = db.get_database_backend();
    let country = |code: &str| {
        refs.country(code)
            .map(|c| c.id)
            .ok_or_else(|| Error::bad_input(format!("unknown country {code:?}")))
    };
    let commodity = |code: &str| {
        refs.commodities
            .by_code(code)
            .map(|c| c.id)
            .ok_or_else(|| Error::bad_input(format!("unknown commodity {code:?}")))
    };
    let flow = |s: &str| {
        FlowKind::parse(&s.to_ascii_uppercase()).ok_or_else(|| Error::bad_input(format!("unknown flow {s:?}")))
    };
    let world = refs.world_id();
    let statement = match figure {
        S::TradeWith {
            reporter,
            partner,
            from_year,
            to_year,
            commodity: c,
        } => f::trade_with_statement(
            backend,
            &[country(&reporter)?],
            world,
            f::TradeWithArgs {
                partner_id: country(&partner)?,
                from_year,
                to_year,
                commodity_id: commodity(&c)?,
            },
        ),
        S::TopPartners {
            reporter,
            year,
            flow: fl,
            commodity: c,
            limit,
        } => f::top_partners_statement(
            backend,
            &[country(&reporter)?],
            world,
            f::TopPartnersArgs {
                from_year: year,
                to_year: year,
                flow: flow(&fl)?,
                commodity_id: commodity(&c)?,
                limit,
            },
        ),
        S::Concentration {
            reporter,
            year,
            flow: fl,
            commodity: c,
        } => f::concentration_statement(
            backend,
            &[country(&reporter)?],
            f::ConcentrationArgs {
                year,
                flow: flow(&fl)?,
                commodity_id: commodity(&c)?,
            },
        ),
        S::TradeFlows { reporter, year, first } => {
            let filter = service::flow_list::FlowFilter {
                reporter_ids: reporter.as_deref().map(country).transpose()?.map(|r| vec![r]),
                years: year.map(|y| vec![y]),
                ..Default::default()
            };
            let window = service::page::Window {
                limit: first + 1,
                ..Default::default()
            };
            service::flow_list::list_statement(backend, &filter, service::flow_list::FlowOrder::Id, &window)?
        }
        S::Indicator(command) => sql_indicators::statement(&db, &refs, command).await?,
    };
    println!("{statement};");
    Ok(())
}
