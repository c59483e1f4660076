//! A TCP front for the fake that misbehaves the way networks do: it resets a
//! connection, closes it before answering, closes a keep-alive connection
//! just as it is reused, or stalls a response body. Everything else it
//! passes to the fake unchanged, and it records what it did with every
//! request it read.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the front does with the next request it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Reads the request, then resets the connection (RST).
    Reset,
    /// Reads the request, then closes the connection without a word.
    CloseBeforeResponse,
    /// Answers this request with a keep-alive response, then closes the
    /// connection as soon as the next request arrives on it, unanswered:
    /// a proxy closing an idle connection just as the client reuses it.
    StaleKeepAlive,
    /// Sends the head and the first bytes of the body, then nothing more.
    StallBody,
}

/// What the front did with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Passed to the fake, which answered with this status.
    Forwarded(u16),
    Reset,
    Closed,
    /// Arrived on a connection left stale: closed unanswered.
    ClosedStale,
    Stalled,
}

/// A request as the front read it.
#[derive(Clone, Debug)]
pub struct FrontSeen {
    pub method: String,
    pub target: String,
    /// Which connection it came on (0, 1, ... in order of accepting) and
    /// how many requests that connection had carried before it.
    pub connection: usize,
    pub on_connection: usize,
    pub outcome: Outcome,
    pub at: Instant,
}

#[derive(Default)]
struct State {
    faults: VecDeque<Fault>,
    seen: Vec<FrontSeen>,
    connections: usize,
}

pub struct Front {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

struct Upstream {
    base: String,
    http: reqwest::Client,
}

impl Front {
    /// Listens on a free loopback port and passes requests to `upstream`
    /// (an `http://host:port` URI).
    pub async fn start(upstream: String) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind front");
        let addr = listener.local_addr().expect("front address");
        let state = Arc::new(Mutex::new(State::default()));
        let upstream = Arc::new(Upstream {
            base: upstream,
            http: jumpcloud_client::Client::reqwest_builder()
                .expect("reqwest builder")
                .build()
                .expect("reqwest client"),
        });
        let accepting = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = {
                    let mut state = accepting.lock().expect("front state");
                    state.connections += 1;
                    state.connections - 1
                };
                tokio::spawn(serve(
                    stream,
                    connection,
                    accepting.clone(),
                    upstream.clone(),
                ));
            }
        });
        Front { addr, state }
    }

    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies these faults to the next requests, in order.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state
            .lock()
            .expect("front state")
            .faults
            .extend(faults);
    }

    pub fn seen(&self) -> Vec<FrontSeen> {
        self.state.lock().expect("front state").seen.clone()
    }

    pub fn outcomes(&self) -> Vec<Outcome> {
        self.seen().iter().map(|seen| seen.outcome).collect()
    }
}

struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 request (head, and a body of `content-length` bytes);
/// `None` when the client closed the connection.
async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Head> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await.ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Head {
        method,
        target,
        headers,
        body,
    })
}

async fn serve(
    stream: TcpStream,
    connection: usize,
    state: Arc<Mutex<State>>,
    upstream: Arc<Upstream>,
) {
    let mut reader = BufReader::new(stream);
    let mut stale = false;
    for on_connection in 0.. {
        let Some(head) = read_request(&mut reader).await else {
            return;
        };
        let fault = if stale {
            None
        } else {
            state.lock().expect("front state").faults.pop_front()
        };
        let record = |outcome| {
            state.lock().expect("front state").seen.push(FrontSeen {
                method: head.method.clone(),
                target: head.target.clone(),
                connection,
                on_connection,
                outcome,
                at: Instant::now(),
            });
        };
        if stale {
            record(Outcome::ClosedStale);
            return;
        }
        match fault {
            Some(Fault::Reset) => {
                record(Outcome::Reset);
                let stream = reader.into_inner();
                stream.set_zero_linger().expect("zero linger");
                drop(stream);
                return;
            }
            Some(Fault::CloseBeforeResponse) => {
                record(Outcome::Closed);
                return;
            }
            Some(Fault::StallBody) => {
                record(Outcome::Stalled);
                let stream = reader.get_mut();
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            content-length: 1000\r\n\r\n[{\"id\":";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                // Hold the connection until the client gives up on it.
                let mut sink = Vec::new();
                let _ = reader.read_to_end(&mut sink).await;
                return;
            }
            Some(Fault::StaleKeepAlive) => stale = true,
            None => {}
        }
        let (status, response) = forward(&upstream, &head).await;
        record(Outcome::Forwarded(status));
        if reader.get_mut().write_all(&response).await.is_err() {
            return;
        }
    }
}

/// Passes a request to the fake and returns its status and the response
/// as bytes to write back, kept alive.
async fn forward(upstream: &Upstream, head: &Head) -> (u16, Vec<u8>) {
    let method = reqwest::Method::from_bytes(head.method.as_bytes()).expect("method");
    let mut request = upstream
        .http
        .request(method, format!("{}{}", upstream.base, head.target))
        .body(head.body.clone());
    for (name, value) in &head.headers {
        if !matches!(name.as_str(), "host" | "content-length" | "connection") {
            request = request.header(name, value);
        }
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        if !matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            out.push_str(&format!(
                "{name}: {}\r\n",
                value.to_str().expect("ASCII header")
            ));
        }
    }
    let body = response.bytes().await.expect("the fake's body");
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&body);
    (status.as_u16(), bytes)
}
