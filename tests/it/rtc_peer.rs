//! A synthetic voice client: a str0m `Rtc` on its own loopback UDP socket, speaking spot's signaling protocol
//! over `/voice` like the web client does. It sends Opus packets (50 per second, each carrying its sequence
//! number and send time) and records what it receives per publishing user. Shared by the integration tests and
//! `benches/voice.rs`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// One Opus packet every 20 ms.
pub const PACKET_INTERVAL: Duration = Duration::from_millis(20);
/// One video frame every 100 ms.
const FRAME_INTERVAL: Duration = Duration::from_millis(100);
const MAGIC: &[u8; 4] = b"spot";

/// What the peer has seen so far.
#[derive(Debug, Default, Clone)]
pub struct PeerLog {
    /// ICE and DTLS are up.
    pub connected: bool,
    /// Opus frames received, by the publishing user's id.
    pub received_from: HashMap<String, u64>,
    /// Video frames received, by the publishing user's id.
    pub video_from: HashMap<String, u64>,
    /// Keyframe requests (PLI/FIR) that reached this peer as a publisher.
    pub keyframe_requests: u64,
    /// Opus frames sent.
    pub sent: u64,
    /// Send-to-receive delays (the sender is in this process, so both ends read the same clock).
    pub delays: Vec<Duration>,
    /// Every signaling message from the server, in order.
    pub messages: Vec<Value>,
    /// The close code of the signaling socket, once closed.
    pub closed: Option<Option<u16>>,
    /// Tracks the server sends, by mid: (user id, kind).
    pub tracks: HashMap<String, (String, String)>,
}

impl PeerLog {
    /// Audio frames received from `user_id`.
    pub fn from(&self, user_id: &str) -> u64 {
        self.received_from.get(user_id).copied().unwrap_or(0)
    }

    /// Video frames received from `user_id`.
    pub fn video(&self, user_id: &str) -> u64 {
        self.video_from.get(user_id).copied().unwrap_or(0)
    }

    /// The first server message of this type.
    pub fn message(&self, kind: &str) -> Option<&Value> {
        self.messages.iter().find(|m| m["type"] == kind)
    }
}

/// What a test can make the peer do (the benchmark uses the rest).
#[derive(Debug)]
#[allow(dead_code)]
pub enum Control {
    /// Start or stop sending audio.
    Sending(bool),
    /// Go silent on UDP and signaling without closing anything, as a laptop whose network dropped.
    Vanish,
    /// Close the signaling socket and stop.
    Leave,
    /// Ask the publishers of every received video track for a keyframe (PLI).
    RequestKeyframes,
}

/// A running synthetic peer.
pub struct RtcPeer {
    /// What it has seen.
    pub log: Arc<Mutex<PeerLog>>,
    control: mpsc::UnboundedSender<Control>,
    task: tokio::task::JoinHandle<()>,
}

impl RtcPeer {
    /// Connects to `endpoint` with `token`, offers one send-only Opus track, and starts driving the session.
    /// `epoch` is the shared clock for the delays in packets.
    pub async fn join(endpoint: &str, token: &str, epoch: Instant) -> Self {
        Self::join_with(endpoint, token, epoch, false).await
    }

    /// As [`RtcPeer::join`], with a camera track (VP8, 10 frames per second) too when `camera` is set.
    pub async fn join_with(endpoint: &str, token: &str, epoch: Instant, camera: bool) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(endpoint)
            .await
            .expect("voice websocket");
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let local = socket.local_addr().unwrap();
        let mut rtc = Rtc::builder().build(Instant::now());
        rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
        let mut change = rtc.sdp_api();
        let audio = change.add_media(MediaKind::Audio, Direction::SendOnly, Some("mic".into()), None, None);
        let video =
            camera.then(|| change.add_media(MediaKind::Video, Direction::SendOnly, Some("cam".into()), None, None));
        let (offer, pending) = change.apply().unwrap();
        let log = Arc::new(Mutex::new(PeerLog::default()));
        let (control, controls) = mpsc::unbounded_channel();
        let mut driver = Driver {
            rtc,
            socket,
            local,
            audio,
            video,
            pending: Some(pending),
            log: log.clone(),
            epoch,
            sending: true,
            seq: 0,
        };
        let identify = token_message(token);
        let task = tokio::spawn(async move {
            driver.run(ws, identify, offer, controls).await;
        });
        Self { log, control, task }
    }

    /// A snapshot of the log.
    pub fn log(&self) -> PeerLog {
        self.log.lock().unwrap().clone()
    }

    /// Tells the peer to do something.
    pub fn control(&self, control: Control) {
        let _ = self.control.send(control);
    }

    /// Waits up to `timeout` for `check` to hold on the log.
    pub async fn wait_for(&self, timeout: Duration, check: impl Fn(&PeerLog) -> bool) -> bool {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if check(&self.log.lock().unwrap()) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        check(&self.log.lock().unwrap())
    }
}

impl Drop for RtcPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn token_message(token: &str) -> String {
    json!({"type": "identify", "token": token}).to_string()
}

struct Driver {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    audio: Mid,
    video: Option<Mid>,
    pending: Option<SdpPendingOffer>,
    log: Arc<Mutex<PeerLog>>,
    epoch: Instant,
    sending: bool,
    seq: u64,
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

impl Driver {
    async fn run(
        &mut self,
        mut ws: Ws,
        identify: String,
        offer: SdpOffer,
        mut controls: mpsc::UnboundedReceiver<Control>,
    ) {
        let _ = ws.send(Message::text(identify)).await;
        let _ = ws
            .send(Message::text(
                json!({"type": "offer", "sdp": offer.to_sdp_string()}).to_string(),
            ))
            .await;
        // Trickle our candidate too (the server must accept it), and an mDNS one as browsers send (skipped).
        let host = format!(
            "candidate:1 1 udp 2130706431 {} {} typ host",
            self.local.ip(),
            self.local.port()
        );
        let mdns = "candidate:2 1 udp 2130706431 3f1c2a9e-0c56-4d4e-9d7a-1b2c3d4e5f60.local 50123 typ host";
        for candidate in [host.as_str(), mdns, ""] {
            let _ = ws
                .send(Message::text(
                    json!({"type": "candidate", "candidate": candidate}).to_string(),
                ))
                .await;
        }
        let mut buf = vec![0u8; 2048];
        let mut next_send = Instant::now();
        let mut next_frame = Instant::now();
        loop {
            let timeout = self.poll().await;
            let wake = match (self.sending, self.video.is_some()) {
                (false, _) => timeout,
                (true, false) => timeout.min(next_send),
                (true, true) => timeout.min(next_send).min(next_frame),
            };
            tokio::select! {
                message = ws.next() => match message {
                    Some(Ok(Message::Text(text))) => {
                        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
                        if let Some(reply) = self.on_server_message(&value) {
                            let _ = ws.send(Message::text(reply)).await;
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        self.log.lock().unwrap().closed = Some(frame.map(|f| u16::from(f.code)));
                        return;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => {
                        self.log.lock().unwrap().closed.get_or_insert(None);
                        return;
                    }
                },
                received = self.socket.recv_from(&mut buf) => {
                    if let Ok((len, source)) = received
                        && let Ok(receive) = Receive::new(Protocol::Udp, source, self.local, &buf[..len])
                    {
                        let _ = self.rtc.handle_input(Input::Receive(Instant::now(), receive));
                    }
                }
                control = controls.recv() => match control {
                    Some(Control::Sending(on)) => self.sending = on,
                    Some(Control::Vanish) => {
                        // Keep the socket open but never read or write again.
                        std::future::pending::<()>().await;
                    }
                    Some(Control::RequestKeyframes) => self.request_keyframes(),
                    Some(Control::Leave) | None => {
                        let _ = ws.close(None).await;
                        return;
                    }
                },
                () = tokio::time::sleep_until(wake.into()) => {}
            }
            let now = Instant::now();
            let _ = self.rtc.handle_input(Input::Timeout(now));
            if self.sending && now >= next_send {
                self.send_frame(now);
                next_send += PACKET_INTERVAL;
                if next_send < now {
                    next_send = now + PACKET_INTERVAL;
                }
            }
            if self.sending && self.video.is_some() && now >= next_frame {
                self.send_video_frame(now);
                next_frame = now + FRAME_INTERVAL;
            }
        }
    }

    /// Sends what str0m wants sent and handles its events; returns when it next needs time.
    async fn poll(&mut self) -> Instant {
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Transmit(t)) => {
                    let _ = self.socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Timeout(at)) => return at,
                Ok(Output::Event(event)) => self.on_event(event),
                Err(_) => return Instant::now() + Duration::from_millis(50),
            }
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Connected => self.log.lock().unwrap().connected = true,
            Event::KeyframeRequest(_) => self.log.lock().unwrap().keyframe_requests += 1,
            Event::MediaData(data) => {
                let mut log = self.log.lock().unwrap();
                let Some((user, kind)) = log.tracks.get(&data.mid.to_string()).cloned() else {
                    return;
                };
                if kind == "video" {
                    *log.video_from.entry(user).or_default() += 1;
                    return;
                }
                *log.received_from.entry(user).or_default() += 1;
                if data.data.len() >= 16 && &data.data[..4] == MAGIC {
                    let sent_at = u64::from_be_bytes(data.data[8..16].try_into().unwrap());
                    let now = self.epoch.elapsed().as_nanos() as u64;
                    log.delays.push(Duration::from_nanos(now.saturating_sub(sent_at)));
                }
            }
            _ => {}
        }
    }

    fn remember_tracks(&mut self, message: &Value) {
        let mut log = self.log.lock().unwrap();
        for track in message["tracks"].as_array().into_iter().flatten() {
            let mid = track["mid"].as_str().unwrap_or_default().to_owned();
            let user = track["user_id"].as_str().unwrap_or_default().to_owned();
            let kind = track["kind"].as_str().unwrap_or_default().to_owned();
            log.tracks.insert(mid, (user, kind));
        }
    }

    /// Handles a server message; returns a reply to send, if any.
    fn on_server_message(&mut self, message: &Value) -> Option<String> {
        self.log.lock().unwrap().messages.push(message.clone());
        let sdp = message["sdp"].as_str().unwrap_or_default();
        match message["type"].as_str() {
            Some("answer") => {
                self.remember_tracks(message);
                let answer = SdpAnswer::from_sdp_string(sdp).ok()?;
                let pending = self.pending.take()?;
                self.rtc.sdp_api().accept_answer(pending, answer).ok()?;
                None
            }
            Some("offer") => {
                self.remember_tracks(message);
                let offer = SdpOffer::from_sdp_string(sdp).ok()?;
                let answer = self.rtc.sdp_api().accept_offer(offer).ok()?;
                Some(json!({"type": "answer", "sdp": answer.to_sdp_string()}).to_string())
            }
            _ => None,
        }
    }

    /// A VP8 frame: a keyframe header byte (bit 0 clear), then filler; big enough to need several packets.
    fn send_video_frame(&mut self, now: Instant) {
        let Some(mid) = self.video else { return };
        let Some(writer) = self.rtc.writer(mid) else { return };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == str0m::format::Codec::Vp8)
            .map(|p| p.pt())
        else {
            return;
        };
        let mut frame = vec![0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a];
        frame.resize(3000, 0x33);
        let elapsed = self.epoch.elapsed().as_micros() as u64;
        let time = MediaTime::new(elapsed * 90 / 1000, Frequency::NINETY_KHZ);
        let _ = writer.write(pt, now, time, frame);
    }

    fn request_keyframes(&mut self) {
        let mids: Vec<String> = {
            let log = self.log.lock().unwrap();
            log.tracks
                .iter()
                .filter(|(_, (_, kind))| kind == "video")
                .map(|(mid, _)| mid.clone())
                .collect()
        };
        for mid in mids {
            if let Some(mut writer) = self.rtc.writer(Mid::from(mid.as_str())) {
                let _ = writer.request_keyframe(None, str0m::media::KeyframeRequestKind::Pli);
            }
        }
    }

    /// One Opus frame: magic, sequence number, send time (ns since the epoch), padding to a voice-sized frame.
    fn send_frame(&mut self, now: Instant) {
        let Some(writer) = self.rtc.writer(self.audio) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == str0m::format::Codec::Opus)
            .map(|p| p.pt())
        else {
            return;
        };
        let mut frame = Vec::with_capacity(80);
        frame.extend_from_slice(MAGIC);
        frame.extend_from_slice(&(self.seq as u32).to_be_bytes());
        frame.extend_from_slice(&(self.epoch.elapsed().as_nanos() as u64).to_be_bytes());
        frame.resize(80, 0x5a);
        let time = MediaTime::new(self.seq * 960, Frequency::FORTY_EIGHT_KHZ);
        if writer.write(pt, now, time, frame).is_ok() {
            self.seq += 1;
            self.log.lock().unwrap().sent += 1;
        }
    }
}
