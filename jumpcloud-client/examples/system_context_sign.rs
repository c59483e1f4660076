//! Prints the `Date` and `Authorization` headers System Context
//! Authorization needs for one request, e.g. to use with curl:
//!
//! ```text
//! cargo run -p jumpcloud-client --example system_context_sign -- \
//!     --key /opt/jc/client.key --system-key 5f0c... \
//!     --method GET --path /api/v2/systems/5f0c.../memberof \
//!     [--date "Tue, 24 Nov 2026 10:00:00 GMT"]
//! ```
//!
//! `--path` is the request target as the server sees it: the full path from
//! the server root, including `/api/v2` and any `?query`.

use std::process::ExitCode;
use std::time::SystemTime;

use jumpcloud_client::runtime::SystemContext;

const USAGE: &str = "usage: system_context_sign --key PATH --system-key KEY --method METHOD \
                     --path /api/v2/... [--date \"<RFC 1123 GMT date>\"]";

struct Args {
    key: String,
    system_key: String,
    method: String,
    path: String,
    date: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut key = None;
    let mut system_key = None;
    let mut method = None;
    let mut path = None;
    let mut date = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--key" => &mut key,
            "--system-key" => &mut system_key,
            "--method" => &mut method,
            "--path" => &mut path,
            "--date" => &mut date,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        };
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        *slot = Some(value);
    }
    let required =
        |value: Option<String>, flag: &str| value.ok_or_else(|| format!("missing {flag}\n{USAGE}"));
    Ok(Args {
        key: required(key, "--key")?,
        system_key: required(system_key, "--system-key")?,
        method: required(method, "--method")?.to_ascii_uppercase(),
        path: required(path, "--path")?,
        date,
    })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let pem = std::fs::read_to_string(&args.key)
        .map_err(|err| format!("cannot read {}: {err}", args.key))?;
    let context = SystemContext::new(args.system_key, &pem).map_err(|err| err.to_string())?;
    let date = args
        .date
        .unwrap_or_else(|| httpdate::fmt_http_date(SystemTime::now()));
    let authorization = context
        .try_authorization_header(&args.method, &args.path, &date)
        .map_err(|err| err.to_string())?;
    println!("Date: {date}");
    println!("Authorization: {authorization}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
