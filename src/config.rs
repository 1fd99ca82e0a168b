//! Command line and environment configuration.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;

use crate::graphql::QueryLimits;

/// The default database: an SQLite file next to where the server starts.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tradegraph.db?mode=rwc";

/// tradegraph: a GraphQL data API about trade, aid, memberships and dependencies between countries.
///
/// Without a command it serves, taking every option and environment variable of `serve`.
#[derive(Debug, Parser)]
#[command(name = "tradegraph", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    /// The options of `serve`, for a bare `tradegraph` (what `cargo run` runs).
    #[command(flatten)]
    pub serve: ServeArgs,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "TRADEGRAPH_DB_MAX_CONNECTIONS", default_value_t = 16, global = true)]
    pub db_max_connections: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the GraphQL API (migrates and loads the bundled data into an empty database first).
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate,
    /// (Re)load the bundled reference data and seed facts; safe to run twice.
    LoadReference(LoadReferenceArgs),
    /// Print the GraphQL schema (SDL) to stdout.
    Schema,
    /// Manage the API keys partners write with.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Load data files into the database.
    Import(ImportArgs),
    /// Write a synthetic, deterministic UN Comtrade-format CSV file (for tests and benchmarks).
    Generate(GenerateArgs),
    /// Print the SQL statement a figure runs, with its values inlined (for EXPLAIN and the
    /// benchmark's bare-SQL side).
    #[command(subcommand)]
    Sql(SqlCommand),
}

/// The figures `tradegraph sql` can print.
#[derive(Debug, Clone, Subcommand)]
pub enum SqlCommand {
    /// `Country.tradeWith`.
    TradeWith {
        /// Reporting country (ISO alpha-3 or alpha-2).
        #[arg(long)]
        reporter: String,
        /// Partner country.
        #[arg(long)]
        partner: String,
        /// First year.
        #[arg(long)]
        from_year: Option<i32>,
        /// Last year.
        #[arg(long)]
        to_year: Option<i32>,
        /// Commodity code.
        #[arg(long, default_value = "TOTAL")]
        commodity: String,
    },
    /// `Country.topPartners`.
    TopPartners {
        /// Reporting country.
        #[arg(long)]
        reporter: String,
        /// Year.
        #[arg(long)]
        year: i32,
        /// EXPORT, IMPORT, RE_EXPORT or RE_IMPORT (or X, M, RX, RM).
        #[arg(long)]
        flow: String,
        /// Commodity code.
        #[arg(long, default_value = "TOTAL")]
        commodity: String,
        /// How many partners.
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// `Country.concentration`.
    Concentration {
        /// Reporting country.
        #[arg(long)]
        reporter: String,
        /// Year.
        #[arg(long)]
        year: i32,
        /// EXPORT, IMPORT, RE_EXPORT or RE_IMPORT (or X, M, RX, RM).
        #[arg(long)]
        flow: String,
        /// Commodity code.
        #[arg(long, default_value = "TOTAL")]
        commodity: String,
    },
    /// The trade indicators.
    #[command(flatten)]
    Indicator(crate::sql_indicators::IndicatorSql),
    /// The first page of `tradeFlows`.
    TradeFlows {
        /// Reporting country.
        #[arg(long)]
        reporter: Option<String>,
        /// Year.
        #[arg(long)]
        year: Option<i32>,
        /// Page size.
        #[arg(long, default_value_t = 100)]
        first: u64,
    },
}

/// `keys create|list|revoke`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it once, alone on the last line of stdout (only its hash is stored).
    Create {
        /// Unique name of the key (who holds it), e.g. `acme-stats`.
        #[arg(long)]
        name: String,
        /// What the key may do: `read`, `write` (data) or `admin` (data, sources, audit log).
        #[arg(long, value_parser = ["read", "write", "admin"])]
        scope: String,
    },
    /// List the keys: name, scope, created, last used, revoked.
    List,
    /// Revoke a key by name; requests presenting it are refused from then on.
    Revoke {
        /// Name of the key.
        name: String,
    },
}

/// Options of `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The format of the file.
    #[command(subcommand)]
    pub format: ImportFormat,
}

/// File formats `import` reads.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportFormat {
    /// A UN Comtrade-format CSV file (columns by header name; a real Comtrade download loads
    /// as it is); all or nothing, and loading it twice leaves the same data.
    Comtrade(ComtradeImportArgs),
}

/// Options of `import comtrade`.
#[derive(Debug, Clone, Args)]
pub struct ComtradeImportArgs {
    /// The CSV file; `-` reads standard input; gzip-compressed input (`.csv.gz`) is recognised
    /// and decompressed.
    pub file: PathBuf,
    /// How rows are written: `auto` uses `COPY` on PostgreSQL and multi-row `INSERT` on
    /// SQLite; `portable` uses multi-row `INSERT` everywhere (for comparison).
    #[arg(long, env = "TRADEGRAPH_IMPORT_METHOD", value_enum, default_value_t = ImportMethod::Auto)]
    pub method: ImportMethod,
}

/// How `import comtrade` writes rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportMethod {
    Auto,
    Portable,
}

/// Options of `generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of data rows (flows) to write, the `W00` World rows included.
    #[arg(long, env = "TRADEGRAPH_GENERATE_FLOWS")]
    pub flows: u64,
    /// Seed of the pseudo-random generator: the same seed gives the same bytes.
    #[arg(long, env = "TRADEGRAPH_GENERATE_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Output file (stdout when omitted or `-`); a name ending in `.gz` is gzipped.
    #[arg(long, env = "TRADEGRAPH_GENERATE_OUT")]
    pub out: Option<PathBuf>,
}

/// The default of every `serve` option, written once: the command line's defaults and
/// `ServeArgs::default()` both read them.
pub mod defaults {
    pub const LISTEN: &str = "127.0.0.1:8080";
    pub const REQUEST_TIMEOUT_S: u64 = 10;
    pub const REFERENCE_REFRESH_S: u64 = 60;
    pub const MAX_DEPTH: usize = 15;
    pub const MAX_COMPLEXITY: usize = 50_000;
    pub const MAX_ALIASES: usize = 50;
    pub const MAX_FIELDS: usize = 1000;
    pub const MAX_BATCH: usize = 20;
    pub const RATE_LIMIT_PER_MINUTE: u32 = 600;
    pub const CORS_ORIGINS: &str = "*";
    pub const MAX_BODY_KB: u64 = 1024;
    pub const WRITE_MAX_MB: u64 = 16;
    pub const IMPORT_MAX_MB: u64 = 64;
    pub const IMPORT_TIMEOUT_S: u64 = 600;
    pub const TRUSTED_PROXIES: &str = "";
    pub const CACHE_MAX_MB: u64 = 64;
    pub const CACHE_MAX_AGE_S: u64 = 0;
    pub const REDIS_PREFIX: &str = "tradegraph:";
}

/// Options of `serve` (and of a bare `tradegraph`, which serves).
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TRADEGRAPH_LISTEN", default_value = defaults::LISTEN)]
    pub listen: SocketAddr,
    /// Seconds after which a request is cancelled, its database work with it.
    #[arg(long, env = "TRADEGRAPH_REQUEST_TIMEOUT_S", default_value_t = defaults::REQUEST_TIMEOUT_S)]
    pub request_timeout_s: u64,
    /// Seconds between reloads of the in-memory reference tables (countries, commodities,
    /// organisations, sources), so writes by other processes show up; 0 disables.
    #[arg(long, env = "TRADEGRAPH_REFERENCE_REFRESH_S", default_value_t = defaults::REFERENCE_REFRESH_S)]
    pub reference_refresh_s: u64,
    /// Deepest field nesting of a query; deeper is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_DEPTH", default_value_t = defaults::MAX_DEPTH)]
    pub max_depth: usize,
    /// Highest complexity of a query (each field 1, list fields times their `first`/`limit`);
    /// more is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_COMPLEXITY", default_value_t = defaults::MAX_COMPLEXITY)]
    pub max_complexity: usize,
    /// Most aliases in one query; more is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_ALIASES", default_value_t = defaults::MAX_ALIASES)]
    pub max_aliases: usize,
    /// Most field selections in one query, fragments counted where spread; more is refused
    /// with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_FIELDS", default_value_t = defaults::MAX_FIELDS)]
    pub max_fields: usize,
    /// Most operations in one batch (a JSON array); more is refused with TOO_COMPLEX (400).
    #[arg(long, env = "TRADEGRAPH_MAX_BATCH", default_value_t = defaults::MAX_BATCH)]
    pub max_batch: usize,
    /// Requests per minute from one API key, or from one client address without a key;
    /// more are answered 429 with `Retry-After`. 0 disables.
    #[arg(long, env = "TRADEGRAPH_RATE_LIMIT_PER_MINUTE", default_value_t = defaults::RATE_LIMIT_PER_MINUTE)]
    pub rate_limit_per_minute: u32,
    /// Origins allowed by CORS, comma-separated (`https://a.example,https://b.example`), or `*`
    /// for any origin.
    #[arg(long, env = "TRADEGRAPH_CORS_ORIGINS", default_value = defaults::CORS_ORIGINS)]
    pub cors_origins: String,
    /// Largest body of a GraphQL request without a `write` key, in KiB; larger is refused
    /// with 413 PAYLOAD_TOO_LARGE.
    #[arg(long, env = "TRADEGRAPH_MAX_BODY_KB", default_value_t = defaults::MAX_BODY_KB)]
    pub max_body_kb: u64,
    /// Largest body of a GraphQL request that presents a key of scope `write` or `admin`, in
    /// MiB: room for 10,000 rows in one mutation.
    #[arg(long, env = "TRADEGRAPH_WRITE_MAX_MB", default_value_t = defaults::WRITE_MAX_MB)]
    pub write_max_mb: u64,
    /// Largest CSV file accepted by `POST /import/comtrade`, in MiB (compressed size for a
    /// gzip body); larger files go through `tradegraph import comtrade`.
    #[arg(long, env = "TRADEGRAPH_IMPORT_MAX_MB", default_value_t = defaults::IMPORT_MAX_MB)]
    pub import_max_mb: u64,
    /// Seconds after which `POST /import/comtrade` is cancelled (nothing is written then).
    #[arg(long, env = "TRADEGRAPH_IMPORT_TIMEOUT_S", default_value_t = defaults::IMPORT_TIMEOUT_S)]
    pub import_timeout_s: u64,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are believed, as a
    /// comma-separated list of addresses or CIDR ranges (`10.0.0.0/8,::1`); empty (the
    /// default) believes no one and takes the client address from the connection.
    #[arg(long, env = "TRADEGRAPH_TRUSTED_PROXIES", default_value = defaults::TRUSTED_PROXIES)]
    pub trusted_proxies: String,
    /// Memory for the answers of read operations kept by this process, in MiB (counted by the
    /// answers' bytes); 0 turns the answer cache off. An answer is served again only while
    /// the data version it was computed at is current.
    #[arg(long, env = "TRADEGRAPH_CACHE_MAX_MB", default_value_t = defaults::CACHE_MAX_MB)]
    pub cache_max_mb: u64,
    /// `Cache-Control: max-age` of a GET answer, in seconds: how long an HTTP cache in front
    /// (a CDN, nginx, Varnish) may serve it without asking again; 0 makes it revalidate every
    /// time (`If-None-Match`, answered 304 while the data is unchanged).
    #[arg(long, env = "TRADEGRAPH_CACHE_MAX_AGE_S", default_value_t = defaults::CACHE_MAX_AGE_S)]
    pub cache_max_age_s: u64,
    /// Redis shared by every server process (`redis://127.0.0.1:6379`): rate-limit buckets
    /// and persisted queries are then one for all processes; without it each process keeps
    /// its own. When Redis stops answering, each process falls back to its own.
    #[arg(long, env = "TRADEGRAPH_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key (processes share state only under the same prefix).
    #[arg(long, env = "TRADEGRAPH_REDIS_PREFIX", default_value = defaults::REDIS_PREFIX)]
    pub redis_prefix: String,
    /// Read replicas of the PostgreSQL database, comma-separated `postgres://…` URLs:
    /// requests without a mutation read from them in turn; one that does not answer is
    /// skipped until it does.
    #[arg(long, env = "DATABASE_READ_URL")]
    pub database_read_url: Option<String>,
}

impl ServeArgs {
    /// The replica URLs of `--database-read-url`.
    pub fn read_urls(&self) -> Vec<String> {
        self.database_read_url
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The settings of the app these arguments describe; an error names an option that
    /// cannot be used as given.
    pub fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            request_timeout: Duration::from_secs(self.request_timeout_s),
            limits: QueryLimits {
                max_depth: self.max_depth,
                max_complexity: self.max_complexity,
                max_aliases: self.max_aliases,
                max_fields: self.max_fields,
            },
            max_batch: self.max_batch,
            max_body_bytes: self.max_body_kb.saturating_mul(1024),
            write_max_bytes: self.write_max_mb.saturating_mul(1024 * 1024),
            import_max_bytes: self.import_max_mb.saturating_mul(1024 * 1024),
            import_timeout: Duration::from_secs(self.import_timeout_s),
            rate_limit_per_minute: self.rate_limit_per_minute,
            cors_origins: self
                .cors_origins
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty() && *o != "*")
                .map(str::to_owned)
                .collect(),
            trusted_proxies: parse_networks(&self.trusted_proxies)
                .map_err(|e| format!("TRADEGRAPH_TRUSTED_PROXIES / --trusted-proxies: {e}"))?,
            cache_max_bytes: self.cache_max_mb.saturating_mul(1024 * 1024),
            cache_max_age_s: self.cache_max_age_s,
            redis_url: match self.redis_url.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(url) => {
                    redis::Client::open(url).map_err(|e| format!("TRADEGRAPH_REDIS_URL / --redis-url: {e}"))?;
                    Some(url.to_owned())
                }
            },
            redis_prefix: self.redis_prefix.clone(),
        })
    }
}

/// A comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, 192.0.2.7, ::1`).
pub fn parse_networks(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is neither an address nor a CIDR range"))
        })
        .collect()
}

/// Settings of the schema and router, independent of how they were given.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A request running longer is cancelled.
    pub request_timeout: Duration,
    /// Depth, complexity, alias and field limits of a query.
    pub limits: QueryLimits,
    /// Most operations in one batch.
    pub max_batch: usize,
    /// Largest GraphQL request body without a writing key.
    pub max_body_bytes: u64,
    /// Largest GraphQL request body with a `write` (or `admin`) key.
    pub write_max_bytes: u64,
    /// Largest body of `POST /import/comtrade`.
    pub import_max_bytes: u64,
    /// Timeout of `POST /import/comtrade`.
    pub import_timeout: Duration,
    /// Requests per minute per key or client address; 0 disables the limit.
    pub rate_limit_per_minute: u32,
    /// Origins CORS allows; empty for any origin.
    pub cors_origins: Vec<String>,
    /// Peers whose forwarding headers name the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Bytes of answers the answer cache keeps; 0 for none.
    pub cache_max_bytes: u64,
    /// `Cache-Control: max-age` of cacheable GET answers.
    pub cache_max_age_s: u64,
    /// Redis shared by the server processes, if any.
    pub redis_url: Option<String>,
    /// Prefix of the Redis keys.
    pub redis_prefix: String,
}

impl Default for Settings {
    fn default() -> Self {
        ServeArgs::default().settings().expect("the default settings are valid")
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            listen: defaults::LISTEN.parse().expect("a socket address"),
            request_timeout_s: defaults::REQUEST_TIMEOUT_S,
            reference_refresh_s: defaults::REFERENCE_REFRESH_S,
            max_depth: defaults::MAX_DEPTH,
            max_complexity: defaults::MAX_COMPLEXITY,
            max_aliases: defaults::MAX_ALIASES,
            max_fields: defaults::MAX_FIELDS,
            max_batch: defaults::MAX_BATCH,
            rate_limit_per_minute: defaults::RATE_LIMIT_PER_MINUTE,
            cors_origins: defaults::CORS_ORIGINS.to_owned(),
            max_body_kb: defaults::MAX_BODY_KB,
            write_max_mb: defaults::WRITE_MAX_MB,
            import_max_mb: defaults::IMPORT_MAX_MB,
            import_timeout_s: defaults::IMPORT_TIMEOUT_S,
            trusted_proxies: defaults::TRUSTED_PROXIES.to_owned(),
            cache_max_mb: defaults::CACHE_MAX_MB,
            cache_max_age_s: defaults::CACHE_MAX_AGE_S,
            redis_url: None,
            redis_prefix: defaults::REDIS_PREFIX.to_owned(),
            database_read_url: None,
        }
    }
}

/// Options of `load-reference`.
#[derive(Debug, Clone, Args)]
pub struct LoadReferenceArgs {
    /// Read the CSV files from this directory instead of the copies built into the binary.
    #[arg(long, env = "TRADEGRAPH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}
