//! Transport compression, as the gateway URL's `compress` asks: one stream per connection, each message
//! compressed and flushed so that it can be decompressed on arrival, and sent as one binary frame.
//! `zlib-stream` flushes with Z_SYNC_FLUSH (every message ends in `00 00 ff ff`); `zstd-stream` flushes the
//! zstd frame's block (hikari asks for it when it has a zstd decoder).

use flate2::{Compress, Compression, FlushCompress};
use zstd::stream::raw::{Encoder, InBuffer, Operation, OutBuffer};

/// What a connection asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `compress=zlib-stream`.
    Zlib,
    /// `compress=zstd-stream`.
    Zstd,
}

impl Kind {
    /// The kind a `compress` query value names; anything else gets plain text frames.
    pub fn from_query(value: Option<&str>) -> Option<Self> {
        match value? {
            "zlib-stream" => Some(Self::Zlib),
            "zstd-stream" => Some(Self::Zstd),
            _ => None,
        }
    }
}

/// A connection's compressor.
pub enum Stream {
    /// zlib-stream.
    Zlib(ZlibStream),
    /// zstd-stream.
    Zstd(ZstdStream),
}

impl Stream {
    /// A new stream of `kind`.
    pub fn new(kind: Kind) -> Self {
        match kind {
            Kind::Zlib => Self::Zlib(ZlibStream::new()),
            Kind::Zstd => Self::Zstd(ZstdStream::new()),
        }
    }

    /// Compresses one message.
    pub fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Zlib(zlib) => zlib.compress(message),
            Self::Zstd(zstd) => zstd.compress(message),
        }
    }
}

/// A zstd stream: one frame for the connection's life, flushed after each message.
pub struct ZstdStream {
    inner: Encoder<'static>,
}

impl ZstdStream {
    /// A new stream (level 1: the gateway compresses every message of every session, cheapness wins).
    pub fn new() -> Self {
        Self {
            inner: Encoder::new(1).expect("a zstd level-1 encoder can be made"),
        }
    }

    /// Compresses one message and flushes it.
    pub fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; zstd::zstd_safe::compress_bound(message.len()) + 64];
        let mut written = 0;
        let mut input = InBuffer::around(message);
        while input.pos() < message.len() {
            let mut output = OutBuffer::around_pos(&mut out[..], written);
            if self.inner.run(&mut input, &mut output).is_err() {
                return Vec::new();
            }
            written = output.pos();
            if written == out.len() {
                out.resize(out.len() * 2, 0);
            }
        }
        loop {
            let mut output = OutBuffer::around_pos(&mut out[..], written);
            let Ok(left) = self.inner.flush(&mut output) else {
                return Vec::new();
            };
            written = output.pos();
            if left == 0 {
                break;
            }
            out.resize(out.len() * 2, 0);
        }
        out.truncate(written);
        out
    }
}

impl Default for ZstdStream {
    fn default() -> Self {
        Self::new()
    }
}

/// A connection's compressor.
pub struct ZlibStream {
    inner: Compress,
}

impl Default for ZlibStream {
    fn default() -> Self {
        Self::new()
    }
}

impl ZlibStream {
    /// A new stream with a zlib header.
    pub fn new() -> Self {
        Self {
            inner: Compress::new(Compression::fast(), true),
        }
    }

    /// Compresses one message.
    pub fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(message.len() / 2 + 64);
        let mut input = message;
        loop {
            let before_in = self.inner.total_in();
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity().max(256));
            }
            // Compress into the spare capacity; a sync flush ends the message on a byte boundary.
            let status = self.inner.compress_vec(input, &mut out, FlushCompress::Sync);
            let consumed = (self.inner.total_in() - before_in) as usize;
            input = &input[consumed..];
            if status.is_err() {
                break;
            }
            if input.is_empty() && out.len() < out.capacity() && out.ends_with(&[0, 0, 0xff, 0xff]) {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Decompress, FlushDecompress};

    #[test]
    fn messages_round_trip_and_end_with_sync_marker() {
        let mut stream = ZlibStream::new();
        let mut inflate = Decompress::new(true);
        for text in ["{\"op\":10}", &"x".repeat(100_000), "{\"op\":11}"] {
            let packed = stream.compress(text.as_bytes());
            assert!(packed.ends_with(&[0, 0, 0xff, 0xff]));
            let mut out = Vec::with_capacity(text.len() + 1024);
            inflate
                .decompress_vec(&packed, &mut out, FlushDecompress::Sync)
                .unwrap();
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn zstd_messages_decompress_as_they_arrive() {
        use std::io::Read;
        let mut stream = ZstdStream::new();
        let mut received = Vec::new();
        let mut lengths = Vec::new();
        for text in ["{\"op\":10}", &"y".repeat(300_000), "{\"op\":11}"] {
            let packed = stream.compress(text.as_bytes());
            assert!(!packed.is_empty());
            received.extend_from_slice(&packed);
            lengths.push(text.len());
            // Everything sent so far decompresses to every message so far, with no more input needed.
            let mut decoder = zstd::stream::read::Decoder::new(&received[..]).unwrap();
            let mut out = vec![0u8; lengths.iter().sum()];
            decoder.read_exact(&mut out).unwrap();
            assert!(out.ends_with(text.as_bytes()));
        }
        assert_eq!(Kind::from_query(Some("zstd-stream")), Some(Kind::Zstd));
        assert_eq!(Kind::from_query(Some("zlib-stream")), Some(Kind::Zlib));
        assert_eq!(Kind::from_query(Some("gzip")), None);
    }
}
