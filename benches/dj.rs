//! The DJ's audio pipeline, measured: decode + resample to 48 kHz + Opus encode (128 kb/s) as fast as it goes,
//! in multiples of real time, for an MP3 and a FLAC input (44.1 kHz stereo, written by sox), side by side with
//! `ffmpeg -i IN -c:a libopus -b:a 128k -f ogg /dev/null` on the same files, both pinned to one core; then the
//! CPU the player uses while playing one stream in real time.
//!
//! `--stages` adds where the time goes: decode alone, decode + resample, and encoding the already-resampled audio
//! alone at complexity 10, 5 and 2, and with Opus's restricted-low-delay application (CELT only: no SILK, no
//! tonality analysis) to see what that lever is worth.
//!
//! `cargo bench --bench dj -- [--seconds 120] [--play-seconds 10] [--stages]` (needs `sox`, `ffmpeg` and
//! `taskset`).

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use spot::music::pipeline::{Decoder, FRAME, OpusFrames, TrackReader};
use spot::music::player::{AudioSink, Control, Player, Track};

struct Args {
    seconds: u32,
    play_seconds: u64,
    stages: bool,
}

fn args() -> Args {
    let mut args = Args {
        seconds: 120,
        play_seconds: 10,
        stages: std::env::args().any(|arg| arg == "--stages"),
    };
    let raw: Vec<String> = std::env::args().collect();
    for pair in raw.windows(2) {
        match pair[0].as_str() {
            "--seconds" => args.seconds = pair[1].parse().unwrap_or(args.seconds),
            "--play-seconds" => args.play_seconds = pair[1].parse().unwrap_or(args.play_seconds),
            _ => {}
        }
    }
    args
}

/// Music-like test input: a chord that moves, with some noise, so the encoders have real work.
fn make_input(dir: &Path, ext: &str, seconds: u32) -> std::path::PathBuf {
    let path = dir.join(format!("input.{ext}"));
    let status = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2"])
        .args(if ext == "flac" { vec!["-b", "16"] } else { vec![] })
        .arg(&path)
        .args([
            "synth",
            &seconds.to_string(),
            "sine",
            "220-880",
            "sine",
            "330-660",
            "pinknoise",
            "vol",
            "0.5",
        ])
        .status()
        .expect("sox runs");
    assert!(status.success());
    path
}

/// Our pipeline on one core (this process pins itself with `taskset` before measuring), at an Opus complexity.
fn ours(path: &Path, complexity: u8) -> Duration {
    let bytes = std::fs::read(path).unwrap();
    let ext = path.extension().unwrap().to_str().unwrap().to_owned();
    let started = Instant::now();
    let mut reader = TrackReader::open(Box::new(Cursor::new(bytes)), Some(&ext)).unwrap();
    let mut encoder = OpusFrames::with_complexity(128_000, complexity).unwrap();
    let mut packets = 0usize;
    while let Some(pcm) = reader.next_pcm().unwrap() {
        packets += encoder.push(&pcm).unwrap().len();
    }
    assert!(packets > 0);
    started.elapsed()
}

/// Each stage of our pipeline timed alone (this process is pinned to one core).
fn stages(path: &Path, audio: f64) {
    let bytes = std::fs::read(path).unwrap();
    let ext = path.extension().unwrap().to_str().unwrap().to_owned();
    let times = |d: Duration| format!("{:.0}× ({:.2} s)", audio / d.as_secs_f64(), d.as_secs_f64());

    let started = Instant::now();
    let mut decoder = Decoder::open(Box::new(Cursor::new(bytes.clone())), Some(&ext)).unwrap();
    while decoder.next_frames().unwrap().is_some() {}
    let decode = started.elapsed();

    let started = Instant::now();
    let mut reader = TrackReader::open(Box::new(Cursor::new(bytes)), Some(&ext)).unwrap();
    let mut pcm = Vec::new();
    while let Some(frames) = reader.next_pcm().unwrap() {
        pcm.extend(frames);
    }
    let decode_resample = started.elapsed();

    let encode = |complexity: u8| {
        let started = Instant::now();
        let mut encoder = OpusFrames::with_complexity(128_000, complexity).unwrap();
        for chunk in pcm.chunks(4096) {
            encoder.push(chunk).unwrap();
        }
        started.elapsed()
    };
    let (encode10, encode5, encode2) = (encode(10), encode(5), encode(2));
    let low_delay = {
        use audiopus::coder::Encoder;
        let started = Instant::now();
        let mut encoder = Encoder::new(
            audiopus::SampleRate::Hz48000,
            audiopus::Channels::Stereo,
            audiopus::Application::LowDelay,
        )
        .unwrap();
        encoder.set_bitrate(audiopus::Bitrate::BitsPerSecond(128_000)).unwrap();
        let mut out = vec![0u8; 4000];
        for frame in pcm.chunks_exact(FRAME * 2) {
            encoder.encode_float(frame, &mut out).unwrap();
        }
        started.elapsed()
    };
    println!(
        "| {ext} | {} | {} | {} | {} | {} | {} | {} |",
        times(decode),
        times(decode_resample.saturating_sub(decode)),
        times(encode10),
        times(encode5),
        times(encode2),
        times(low_delay),
        times(decode_resample + encode10),
    );
}

fn ours_fast(path: &Path) -> Duration {
    ours(path, 5)
}

fn ffmpeg(path: &Path) -> Option<Duration> {
    let started = Instant::now();
    let status = Command::new("taskset")
        .args(["-c", "0", "ffmpeg", "-v", "quiet", "-threads", "1", "-i"])
        .arg(path)
        .args(["-c:a", "libopus", "-b:a", "128k", "-f", "ogg", "-y", "/dev/null"])
        .status()
        .ok()?;
    status.success().then(|| started.elapsed())
}

struct Discard;

impl AudioSink for Discard {
    fn send(&mut self, _packet: &[u8]) -> bool {
        true
    }
}

/// CPU time of this process so far (user + system), from /proc.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("dj: a benchmark; run it with `cargo bench --bench dj`");
        return;
    }
    let args = args();
    // One core for both contenders.
    let pid = std::process::id().to_string();
    let _ = Command::new("taskset").args(["-p", "-c", "0", &pid]).output();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "input: {} s of 44.1 kHz stereo, output Opus 128 kb/s at 48 kHz, one core",
        args.seconds
    );
    println!("| input | spot, complexity 10 | spot, complexity 5 | ffmpeg (× real time) |");
    println!("| --- | --- | --- | --- |");
    for ext in ["mp3", "flac"] {
        let path = make_input(dir.path(), ext, args.seconds);
        let audio = f64::from(args.seconds);
        let ours = ours(&path, 10);
        let fast = ours_fast(&path);
        let theirs = ffmpeg(&path);
        println!(
            "| {ext} | {:.0}× ({:.2} s) | {:.0}× ({:.2} s) | {} |",
            audio / ours.as_secs_f64(),
            ours.as_secs_f64(),
            audio / fast.as_secs_f64(),
            fast.as_secs_f64(),
            theirs.map_or("ffmpeg not installed".to_owned(), |t| format!(
                "{:.0}× ({:.2} s)",
                audio / t.as_secs_f64(),
                t.as_secs_f64()
            ))
        );
    }

    if args.stages {
        println!();
        println!(
            "| input | decode | resample | encode, complexity 10 | encode, complexity 5 | encode, complexity 2 | encode, restricted low delay (10) | sum, complexity 10 |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for ext in ["mp3", "flac"] {
            let path = make_input(dir.path(), ext, args.seconds);
            stages(&path, f64::from(args.seconds));
        }
        println!();
    }

    // Playing one stream in real time: CPU used over the wall time.
    let path = make_input(dir.path(), "mp3", args.play_seconds as u32 + 2);
    let (player, events) = Player::start(Discard, 1.0).unwrap();
    let before = cpu_time();
    let started = Instant::now();
    player.send(Control::Play(Track {
        id: 1,
        open: Box::new(move || TrackReader::open(Box::new(std::fs::File::open(path).unwrap()), Some("mp3"))),
    }));
    std::thread::sleep(Duration::from_secs(args.play_seconds));
    let used = cpu_time() - before;
    let wall = started.elapsed();
    drop(player);
    drop(events);
    println!(
        "playing one MP3 stream in real time: {:.2}% of a core ({:?} CPU over {:?})",
        100.0 * used.as_secs_f64() / wall.as_secs_f64(),
        used,
        wall
    );
}
