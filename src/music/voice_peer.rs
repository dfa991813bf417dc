//! The DJ as a participant of a voice room: it takes a voice state like a member (so everyone sees it join),
//! is admitted to the embedded SFU with its voice token, and connects a str0m session of its own over loopback
//! UDP to the SFU's socket, publishing one Opus track. The player's packets are written to that track; the
//! SFU forwards them to everyone in the room like anyone's microphone (server mute and permissions apply).
//!
//! The session runs on a thread with its own single-threaded runtime (like the SFU's media loop); the player
//! hands it packets through a channel. Nothing here touches the main runtime.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::sync::mpsc;

use super::player::AudioSink;
use super::voice_link::{Joining, VoiceLink};
use crate::store::{Snowflake, User};
use crate::voice::sfu::Signal;
use crate::voice::sfu::peer::PeerId;
use crate::voice::sfu::protocol::{ServerMessage, Source};
use crate::voice::{StateRequest, Voice};

/// The DJ's session id in voice states (it has no gateway session).
const SESSION: &str = "dj";
/// Packets buffered between the player and the session.
const BUFFERED: usize = 50;

/// Voice rooms for the DJ through spot's own voice module and its embedded SFU.
pub struct SfuRooms {
    /// The voice rooms.
    pub voice: Voice,
}

impl VoiceLink for SfuRooms {
    fn room_of(&self, user: Snowflake) -> Option<Snowflake> {
        self.voice.state_of(user).map(|s| s.channel_id)
    }

    fn listeners(&self, room: Snowflake, dj: Snowflake) -> usize {
        let dj_there = self.voice.state_of(dj).is_some_and(|s| s.channel_id == room);
        self.voice.occupancy(room) - usize::from(dj_there)
    }

    fn join<'a>(&'a self, dj: &'a User, room: Snowflake) -> Joining<'a> {
        Box::pin(async move {
            let sink = join(self.voice.clone(), dj.clone(), room).await?;
            Ok(Box::new(sink) as Box<dyn AudioSink>)
        })
    }

    fn leave(&self, dj: &User, _room: Snowflake) {
        let voice = self.voice.clone();
        let dj = dj.clone();
        tokio::spawn(async move { leave(&voice, &dj).await });
    }
}

/// The player's end: packets go to the session thread.
pub struct DjSink {
    packets: mpsc::Sender<Vec<u8>>,
}

impl AudioSink for DjSink {
    fn send(&mut self, packet: &[u8]) -> bool {
        match self.packets.try_send(packet.to_vec()) {
            Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

/// Takes the DJ out of whatever voice room it is in.
async fn leave(voice: &Voice, dj: &User) {
    let request = StateRequest {
        channel_id: None,
        ..StateRequest::default()
    };
    let _ = voice.update_own(dj, SESSION, request, "").await;
}

async fn join(voice: Voice, dj: User, room: Snowflake) -> Result<DjSink, String> {
    // Checked before the DJ takes a voice state, so a refusal leaves no ghost in the room.
    let sfu = voice
        .sfu()
        .ok_or("the DJ plays only through the embedded SFU (voice.backend is not embedded)")?
        .clone();
    let request = StateRequest {
        channel_id: Some(room),
        self_deaf: true,
        ..StateRequest::default()
    };
    let server = voice
        .update_own(&dj, SESSION, request, "")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the voice room did not admit me")?;
    let token = server.token;
    let (outbox, inbox) = mpsc::channel(32);
    let peer = match voice.connect_peer(&token, outbox) {
        Ok((peer, _)) => peer,
        Err(e) => {
            leave(&voice, &dj).await;
            return Err(format!("the voice room refused me ({e:?})"));
        }
    };
    let (packets_tx, packets) = mpsc::channel(BUFFERED);
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    socket.set_nonblocking(true).map_err(|e| e.to_string())?;
    std::thread::Builder::new()
        .name("spot-dj-voice".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async move {
                let Ok(socket) = tokio::net::UdpSocket::from_std(socket) else {
                    return;
                };
                Session::start(socket, sfu, peer, inbox, packets).await;
            });
        })
        .map_err(|e| e.to_string())?;
    Ok(DjSink { packets: packets_tx })
}

struct Session {
    rtc: Rtc,
    socket: tokio::net::UdpSocket,
    local: SocketAddr,
    audio: Mid,
    pending: Option<SdpPendingOffer>,
    sfu: crate::voice::sfu::Sfu,
    peer: PeerId,
    seq: u64,
}

impl Session {
    async fn start(
        socket: tokio::net::UdpSocket,
        sfu: crate::voice::sfu::Sfu,
        peer: PeerId,
        mut inbox: mpsc::Receiver<ServerMessage>,
        mut packets: mpsc::Receiver<Vec<u8>>,
    ) {
        let Ok(local) = socket.local_addr() else { return };
        let mut rtc = Rtc::builder().build(Instant::now());
        if let Ok(candidate) = Candidate::host(local, "udp") {
            rtc.add_local_candidate(candidate);
        }
        let mut change = rtc.sdp_api();
        let audio = change.add_media(MediaKind::Audio, Direction::SendOnly, Some("dj".into()), None, None);
        let Some((offer, pending)) = change.apply() else { return };
        let mut session = Session {
            rtc,
            socket,
            local,
            audio,
            pending: Some(pending),
            sfu,
            peer,
            seq: 0,
        };
        let sources = HashMap::from([(audio.to_string(), Source::Microphone)]);
        session.sfu.signal(peer, Signal::Offer(offer.to_sdp_string(), sources));
        let host = format!("candidate:1 1 udp 2130706431 {} {} typ host", local.ip(), local.port());
        session.sfu.signal(peer, Signal::Candidate(host));
        session.run(&mut inbox, &mut packets).await;
        session.sfu.closed(peer);
    }

    async fn run(&mut self, inbox: &mut mpsc::Receiver<ServerMessage>, packets: &mut mpsc::Receiver<Vec<u8>>) {
        let mut buf = vec![0u8; 2048];
        loop {
            let wake = self.poll().await;
            tokio::select! {
                message = inbox.recv() => match message {
                    Some(message) => {
                        if !self.on_server_message(message) {
                            return;
                        }
                    }
                    None => return,
                },
                received = self.socket.recv_from(&mut buf) => {
                    if let Ok((len, source)) = received
                        && let Ok(receive) = Receive::new(Protocol::Udp, source, self.local, &buf[..len])
                    {
                        let _ = self.rtc.handle_input(Input::Receive(Instant::now(), receive));
                    }
                }
                packet = packets.recv() => match packet {
                    Some(packet) => self.write(packet),
                    None => return,
                },
                () = tokio::time::sleep_until(wake.into()) => {}
            }
            let _ = self.rtc.handle_input(Input::Timeout(Instant::now()));
        }
    }

    /// Sends what str0m wants sent; returns when it next needs time.
    async fn poll(&mut self) -> Instant {
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Transmit(t)) => {
                    let _ = self.socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Timeout(at)) => return at,
                Ok(Output::Event(Event::IceConnectionStateChange(state))) => {
                    tracing::debug!(?state, "DJ voice session");
                }
                Ok(Output::Event(_)) => {}
                Err(_) => return Instant::now() + Duration::from_millis(50),
            }
        }
    }

    /// Follows the SFU: answers, offers (the others' tracks; the DJ is deaf to them), removal.
    fn on_server_message(&mut self, message: ServerMessage) -> bool {
        match message {
            ServerMessage::Answer { sdp, .. } => {
                if let (Ok(answer), Some(pending)) = (SdpAnswer::from_sdp_string(&sdp), self.pending.take()) {
                    let _ = self.rtc.sdp_api().accept_answer(pending, answer);
                }
                true
            }
            ServerMessage::Offer { sdp, .. } => {
                if let Ok(offer) = SdpOffer::from_sdp_string(&sdp)
                    && let Ok(answer) = self.rtc.sdp_api().accept_offer(offer)
                {
                    self.sfu.signal(self.peer, Signal::Answer(answer.to_sdp_string()));
                }
                true
            }
            ServerMessage::Ready { .. } => true,
            ServerMessage::Error { message, .. } => {
                tracing::warn!(%message, "the SFU refused the DJ");
                false
            }
            ServerMessage::Removed { .. } => false,
        }
    }

    /// Writes one 20 ms Opus packet to the DJ's track.
    fn write(&mut self, packet: Vec<u8>) {
        let Some(writer) = self.rtc.writer(self.audio) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == Codec::Opus)
            .map(|p| p.pt())
        else {
            return;
        };
        let time = MediaTime::new(self.seq * 960, Frequency::FORTY_EIGHT_KHZ);
        if writer.write(pt, Instant::now(), time, packet).is_ok() {
            self.seq += 1;
        }
    }
}
