//! The server's listener: TCP connections whose refusals by the HTTP parser itself carry a
//! JSON error body too.
//!
//! hyper answers a request it cannot parse — a URL over 64 KiB (414), headers over its
//! buffer (431), a malformed request line or header (400) — on its own, before any handler
//! runs, with an empty body. Each connection's writes are watched for exactly such an answer
//! (one of those statuses, `content-length: 0`, written as one piece: the stream declines
//! vectored writes, so hyper flattens each answer into one buffer) and it is replaced by the
//! same status with a GraphQL-shaped body. Answers of the router always have a body, so
//! none of them matches.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{Code, Refusal};

/// A TCP listener whose connections are `RefusingStream`s.
pub struct Listener(pub TcpListener);

impl axum::serve::Listener for Listener {
    type Io = RefusingStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (
            RefusingStream {
                inner: stream,
                pending: Vec::new(),
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// The peer address of a connection, for `into_make_service_with_connect_info`.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, Listener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, Listener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// A TCP stream that replaces hyper's empty parse-error answers (see the module docs).
pub struct RefusingStream {
    inner: TcpStream,
    /// Bytes of a replacement answer not yet written.
    pending: Vec<u8>,
}

/// The replacement of an answer hyper wrote on its own, if `buf` is one.
fn replacement(buf: &[u8]) -> Option<Vec<u8>> {
    let head = std::str::from_utf8(buf).ok()?;
    if !head.ends_with("\r\n\r\n") || head.matches("\r\n\r\n").count() != 1 {
        return None;
    }
    let (code, message) = match head.get(..13)? {
        "HTTP/1.1 400 " => (
            Code::BadRequest,
            "the HTTP request could not be parsed (request line or a header is malformed)",
        ),
        "HTTP/1.1 414 " => (
            Code::UriTooLong,
            "the URL is longer than 64 KiB; send long queries with POST",
        ),
        "HTTP/1.1 431 " => (Code::HeadersTooLarge, "the request's headers are too large"),
        _ => return None,
    };
    let lower = head.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") || lower.contains("\r\ncontent-type:") {
        return None;
    }
    let request_id = super::middleware::new_request_id();
    let body = Refusal::new(code, message, &request_id).body().to_string();
    let status = code.status();
    Some(
        format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: {request_id}\r\nconnection: close\r\n\r\n{body}",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            body.len(),
        )
        .into_bytes(),
    )
}

impl RefusingStream {
    /// Writes what is left of a replacement; `Ready(Ok)` once it is all out.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let n = std::task::ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..n);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for RefusingStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for RefusingStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        std::task::ready!(self.poll_pending(cx))?;
        if let Some(bytes) = replacement(buf) {
            self.pending = bytes;
            // The whole answer counts as written; the replacement goes out now or on flush.
            return match self.poll_pending(cx) {
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                _ => Poll::Ready(Ok(buf.len())),
            };
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_empty_refusals_are_replaced() {
        let hyper_414 =
            b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sat, 28 Nov 2026 16:00:00 GMT\r\n\r\n";
        let replaced = String::from_utf8(replacement(hyper_414).expect("replaced")).unwrap();
        assert!(replaced.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\n"));
        assert!(replaced.contains("\"code\":\"URI_TOO_LONG\""), "{replaced}");
        // An answer of ours (with a body) and a success are left alone.
        let ours =
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"errors\":1}";
        assert!(replacement(ours).is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
