//! `compress=zlib-stream`: one zlib stream per connection; each message is deflated and flushed with
//! Z_SYNC_FLUSH, so it ends in `00 00 ff ff` and is sent as one binary frame.

use flate2::{Compress, Compression, FlushCompress};

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
}
