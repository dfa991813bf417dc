//! A fixture web server on 127.0.0.1 for link previews (and later the DJ's URLs): pages with OpenGraph and
//! oEmbed, real PNG images, media files, redirects anywhere, an endless body, a server that never answers; and
//! a loopback "canary" that counts every connection made to it.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The fixture's counters.
#[derive(Default)]
pub struct Hits {
    /// Requests per path.
    pub paths: Mutex<HashMap<String, usize>>,
    /// The request headers last seen per path.
    pub headers: Mutex<HashMap<String, axum::http::HeaderMap>>,
    /// Bytes of the endless body written so far.
    pub endless_bytes: AtomicU64,
}

impl Hits {
    pub fn of(&self, path: &str) -> usize {
        self.paths.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

pub struct Fixture {
    pub port: u16,
    pub hits: Arc<Hits>,
}

impl Fixture {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Starts the fixture on the current runtime.
    pub async fn start() -> Self {
        let hits = Arc::new(Hits::default());
        let app = Router::new()
            .route("/article", get(article))
            .route("/plain", get(plain))
            .route("/fake-image-page", get(fake_image_page))
            .route("/oembed.json", get(oembed))
            .route("/cover.png", get(|| async { png_response(1200, 630) }))
            .route("/photo.png", get(|| async { png_response(64, 48) }))
            .route(
                "/fake.png",
                get(|| async { ([(header::CONTENT_TYPE, "image/png")], "<html>not an image</html>") }),
            )
            .route(
                "/clip.mp4",
                get(|| async { ([(header::CONTENT_TYPE, "video/mp4")], vec![0u8; 4096]) }),
            )
            .route(
                "/song.ogg",
                get(|| async { ([(header::CONTENT_TYPE, "audio/ogg")], vec![0u8; 4096]) }),
            )
            .route("/redirect", get(redirect))
            .route("/loop/{n}", get(redirect_loop))
            .route("/chain/{n}", get(redirect_chain))
            .route("/endless", get(endless))
            .route("/hang", get(std::future::pending::<&'static str>))
            .route(
                "/tone.wav",
                get(|| async { ([(header::CONTENT_TYPE, "audio/wav")], wav(44_100, 1.0, false)) }),
            )
            .route("/radio", get(radio))
            .route(
                "/ten-hours.wav",
                get(|| async { ([(header::CONTENT_TYPE, "audio/wav")], long_wav(10 * 3600)) }),
            )
            .route(
                "/page.mp3",
                get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<html>a page</html>") }),
            )
            .layer(axum::middleware::from_fn_with_state(hits.clone(), count))
            .with_state(hits.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { port, hits }
    }
}

async fn count(
    State(hits): State<Arc<Hits>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    *hits.paths.lock().unwrap().entry(path.clone()).or_default() += 1;
    hits.headers.lock().unwrap().insert(path, request.headers().clone());
    next.run(request).await
}

async fn article() -> impl IntoResponse {
    let html = r##"<!doctype html><html><head><meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="Fixture &amp; Co">
<meta property="og:title" content="A &quot;fixture&quot; article">
<meta property="og:description" content="It has a description, an image and an oEmbed document.">
<meta property="og:image" content="/cover.png">
<meta name="twitter:card" content="summary_large_image">
<meta name="theme-color" content="#3366ff">
<link rel="alternate" type="application/json+oembed" href="/oembed.json">
</head><body><p>Hello</p></body></html>"##;
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

async fn plain() -> impl IntoResponse {
    let html = "<html><head><title>Just a title</title></head><body>no metadata</body></html>";
    ([(header::CONTENT_TYPE, "text/html")], html)
}

async fn fake_image_page() -> impl IntoResponse {
    let html = r#"<html><head><meta property="og:title" content="Fake image"><meta property="og:image" content="/fake.png"></head></html>"#;
    ([(header::CONTENT_TYPE, "text/html")], html)
}

async fn oembed() -> impl IntoResponse {
    let body = r#"{"version":"1.0","type":"rich","author_name":"Fixture Author","author_url":"https://author.example/","provider_name":"Fixture oEmbed"}"#;
    ([(header::CONTENT_TYPE, "application/json")], body)
}

async fn redirect(Query(query): Query<HashMap<String, String>>) -> Response {
    let to = query.get("to").cloned().unwrap_or_default();
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn redirect_loop(Path(n): Path<u32>) -> Response {
    let next = if n >= 1 { 0 } else { 1 };
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, format!("/loop/{next}"))],
    )
        .into_response()
}

async fn redirect_chain(Path(n): Path<u32>) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, format!("/chain/{}", n + 1))]).into_response()
}

/// An HTML page that never ends (a "10 GB body"): 64 KiB chunks for as long as someone reads.
async fn endless(State(hits): State<Arc<Hits>>) -> Response {
    let head = "<html><head><meta property=\"og:title\" content=\"Endless\"></head><body>".to_owned();
    let chunk = "x".repeat(64 * 1024);
    let stream = futures_util::stream::unfold((hits, true), move |(hits, first)| {
        let piece = if first { head.clone() } else { chunk.clone() };
        async move {
            hits.endless_bytes.fetch_add(piece.len() as u64, Ordering::Relaxed);
            Some((Ok::<_, std::io::Error>(piece), (hits, false)))
        }
    });
    ([(header::CONTENT_TYPE, "text/html")], Body::from_stream(stream)).into_response()
}

/// The 44-byte header of a 16-bit PCM WAV holding (or claiming) `data_len` bytes of samples.
pub fn wav_header(rate: u32, channels: u16, data_len: u32) -> Vec<u8> {
    let block = channels * 2;
    let mut out = Vec::with_capacity(44);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    out.extend_from_slice(&block.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out
}

/// A 440 Hz stereo 16-bit WAV; `endless` writes a header that claims the most data a WAV can hold, for a
/// radio-like stream.
pub fn wav(rate: u32, seconds: f64, endless: bool) -> Vec<u8> {
    let frames = (f64::from(rate) * seconds) as u32;
    let data_len = if endless { u32::MAX - 64 } else { frames * 4 };
    let mut out = wav_header(rate, 2, data_len);
    out.extend(tone_samples(rate, 0, frames));
    out
}

fn tone_samples(rate: u32, from: u32, frames: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(frames as usize * 4);
    for i in from..from + frames {
        let t = f64::from(i) / f64::from(rate);
        let v = (0.5 * (2.0 * std::f64::consts::PI * 440.0 * t).sin() * 32767.0) as i16;
        out.extend_from_slice(&v.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// A WAV whose header claims `claimed` seconds of 8 kHz mono audio but that holds one second of it: how a
/// ten-hour file looks to the DJ without writing 576 MB.
pub fn long_wav(claimed: u32) -> Vec<u8> {
    let rate = 8000u32;
    let data_len = claimed * rate * 2;
    let mut out = wav_header(rate, 1, data_len);
    for i in 0..rate {
        let v = ((f64::from(i) / f64::from(rate) * 440.0 * std::f64::consts::TAU).sin() * 8000.0) as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// An internet-radio-like stream: a WAV header, then the tone for as long as someone listens.
async fn radio() -> Response {
    let header = wav(44_100, 0.0, true);
    let stream = futures_util::stream::unfold(0u32, move |second| {
        let piece = if second == 0 {
            let mut first = header.clone();
            first.extend(tone_samples(44_100, 0, 44_100));
            first
        } else {
            tone_samples(44_100, second * 44_100, 44_100)
        };
        async move { Some((Ok::<_, std::io::Error>(piece), second + 1)) }
    });
    ([(header::CONTENT_TYPE, "audio/wav")], Body::from_stream(stream)).into_response()
}

fn png_response(width: u32, height: u32) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/png")], png(width, height))
}

/// A valid grey PNG of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut raw = Vec::with_capacity(((width + 1) * height) as usize);
    for _ in 0..height {
        raw.push(0);
        raw.extend(std::iter::repeat_n(0x80u8, width as usize));
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    zlib.write_all(&raw).unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A listener on loopback (IPv4 and, where available, IPv6, same port) that counts connections and answers
/// nothing. A fetch that reaches it is an SSRF hole.
pub struct Canary {
    pub port: u16,
    pub connections: Arc<AtomicUsize>,
}

impl Canary {
    pub async fn start() -> Self {
        let v4 = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = v4.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let mut listeners = vec![v4];
        if let Ok(v6) = tokio::net::TcpListener::bind(("::1", port)).await {
            listeners.push(v6);
        }
        for listener in listeners {
            let connections = connections.clone();
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    drop(socket);
                }
            });
        }
        Self { port, connections }
    }

    pub fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// A mono 16-bit WAV the fake microphone plays (Chromium loops it): short notes of changing pitch with gaps,
/// like speech rather than a steady tone, which the browser's noise suppression would treat as noise and remove.
/// `base` sets the pitch range, so two people sound different.
pub fn voice_like(path: &std::path::Path, base: f64, seconds: f64) {
    let rate = 48_000u32;
    let note = (rate as f64 * 0.18) as usize;
    let mut seed = base as u64 | 1;
    let mut samples = Vec::new();
    while samples.len() < (rate as f64 * seconds) as usize {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let hz = base * (1.0 + (seed >> 40) as f64 / (1u64 << 24) as f64);
        let silent = (seed >> 20).is_multiple_of(4);
        for i in 0..note {
            let t = i as f64 / rate as f64;
            let envelope = (std::f64::consts::PI * i as f64 / note as f64).sin();
            let wave = (t * hz * std::f64::consts::TAU).sin() + 0.5 * (t * 2.0 * hz * std::f64::consts::TAU).sin();
            let value = if silent { 0.0 } else { wave * envelope * 0.4 };
            samples.push((value * i16::MAX as f64) as i16);
        }
    }
    let mut wav = wav_header(rate, 1, samples.len() as u32 * 2);
    for s in samples {
        wav.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, wav).unwrap();
}
