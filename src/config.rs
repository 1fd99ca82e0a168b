//! Command line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::graphql::QueryLimits;

/// The default database: an SQLite file next to where the server starts.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://tradegraph.db?mode=rwc";

/// tradegraph: a GraphQL data API about trade, aid, memberships and dependencies between countries.
#[derive(Debug, Parser)]
#[command(name = "tradegraph", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
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

/// Options of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "TRADEGRAPH_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Seconds after which a request is cancelled, its database work with it.
    #[arg(long, env = "TRADEGRAPH_REQUEST_TIMEOUT_S", default_value_t = 10)]
    pub request_timeout_s: u64,
    /// Seconds between reloads of the in-memory reference tables (countries, commodities,
    /// organisations, sources), so writes by other processes show up; 0 disables.
    #[arg(long, env = "TRADEGRAPH_REFERENCE_REFRESH_S", default_value_t = 60)]
    pub reference_refresh_s: u64,
    /// Microseconds a DataLoader waits to gather the keys of one level of a query into one
    /// statement; longer batches more keys per statement, shorter answers sooner.
    #[arg(long, env = "TRADEGRAPH_DATALOADER_DELAY_US", default_value_t = 1000)]
    pub dataloader_delay_us: u64,
    /// Deepest field nesting of a query; deeper is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_DEPTH", default_value_t = 15)]
    pub max_depth: usize,
    /// Highest complexity of a query (each field 1, list fields times their `first`/`limit`);
    /// more is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_COMPLEXITY", default_value_t = 50_000)]
    pub max_complexity: usize,
    /// Most aliases in one query; more is refused with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_ALIASES", default_value_t = 50)]
    pub max_aliases: usize,
    /// Most field selections in one query, fragments counted where spread; more is refused
    /// with TOO_COMPLEX.
    #[arg(long, env = "TRADEGRAPH_MAX_FIELDS", default_value_t = 1000)]
    pub max_fields: usize,
    /// Most operations in one batch (a JSON array); more is refused with TOO_COMPLEX (400).
    #[arg(long, env = "TRADEGRAPH_MAX_BATCH", default_value_t = 20)]
    pub max_batch: usize,
    /// Requests per minute from one API key, or from one client address without a key;
    /// more are answered 429 with `Retry-After`. 0 disables.
    #[arg(long, env = "TRADEGRAPH_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_per_minute: u32,
    /// Origins allowed by CORS, comma-separated (`https://a.example,https://b.example`), or `*`
    /// for any origin.
    #[arg(long, env = "TRADEGRAPH_CORS_ORIGINS", default_value = "*")]
    pub cors_origins: String,
    /// Largest CSV file accepted by `POST /import/comtrade`, in MiB (compressed size for a
    /// gzip body); larger files go through `tradegraph import comtrade`.
    #[arg(long, env = "TRADEGRAPH_IMPORT_MAX_MB", default_value_t = 64)]
    pub import_max_mb: u64,
    /// Seconds after which `POST /import/comtrade` is cancelled (nothing is written then).
    #[arg(long, env = "TRADEGRAPH_IMPORT_TIMEOUT_S", default_value_t = 600)]
    pub import_timeout_s: u64,
}

impl ServeArgs {
    /// The settings of the app these arguments describe.
    pub fn settings(&self) -> Settings {
        Settings {
            request_timeout: Duration::from_secs(self.request_timeout_s),
            loader_delay: Duration::from_micros(self.dataloader_delay_us),
            limits: QueryLimits {
                max_depth: self.max_depth,
                max_complexity: self.max_complexity,
                max_aliases: self.max_aliases,
                max_fields: self.max_fields,
            },
            max_batch: self.max_batch,
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
        }
    }
}

/// Settings of the schema and router, independent of how they were given.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A request running longer is cancelled.
    pub request_timeout: Duration,
    /// How long a DataLoader gathers keys before it queries.
    pub loader_delay: Duration,
    /// Depth, complexity, alias and field limits of a query.
    pub limits: QueryLimits,
    /// Most operations in one batch.
    pub max_batch: usize,
    /// Largest body of `POST /import/comtrade`.
    pub import_max_bytes: u64,
    /// Timeout of `POST /import/comtrade`.
    pub import_timeout: Duration,
    /// Requests per minute per key or client address; 0 disables the limit.
    pub rate_limit_per_minute: u32,
    /// Origins CORS allows; empty for any origin.
    pub cors_origins: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        ServeArgs::default().settings()
    }
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            request_timeout_s: 10,
            reference_refresh_s: 60,
            dataloader_delay_us: 1000,
            max_depth: 15,
            max_complexity: 50_000,
            max_aliases: 50,
            max_fields: 1000,
            max_batch: 20,
            rate_limit_per_minute: 600,
            cors_origins: "*".to_owned(),
            import_max_mb: 64,
            import_timeout_s: 600,
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
