//! tradegraph: a GraphQL data API about relations between countries — trade flows, aid,
//! memberships of organisations, import dependencies — each figure with its source.
//!
//! `app(state)` is the router; `build_schema(..)` the GraphQL schema; `run(cli)` what the
//! binary does.

pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod reference;
pub mod service;

use std::time::Duration;

pub use config::Cli;
use config::{Command, KeysCommand, ServeArgs};
pub use graphql::{AppSchema, build_schema};
pub use http::{AppState, app};
use service::bundled::{self, DataSet};

use crate::error::Result;

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
        let report = bundled::load(&db, DataSet::Bundled).await?;
        tracing::info!(?report, "loaded the bundled reference data into an empty database");
    }
    Ok(db)
}

/// Runs the command the command line asks for.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
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
            let report = bundled::load(&db, data).await?;
            for (table, n) in report.counts {
                println!("{table}\t{n}");
            }
            Ok(())
        }
        Command::Schema => {
            print!("{}", sdl());
            Ok(())
        }
        Command::Keys(command) => keys(&cli.db, command).await,
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

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    graphql::sdl()
}

async fn serve(db_args: &config::DbArgs, args: ServeArgs) -> Result<()> {
    // The database stops a statement that outlives the request it serves.
    let db = prepare_with(db_args, Some(Duration::from_secs(args.request_timeout_s.max(1)))).await?;
    let state = AppState::new(db, &args.settings()).await?;
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
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    tracing::info!("tradegraph listening on http://{}/graphql", listener.local_addr()?);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
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
