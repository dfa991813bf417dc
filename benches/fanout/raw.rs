//! Fan-out with raw receivers: a minimal WebSocket client (handshake, masked text frames out, raw bytes in)
//! that finds each message's send time with a SIMD search instead of decoding frames, so the load generator —
//! on the same two cores — costs less than the server it measures.
//!
//! Each socket asks the kernel for receive timestamps (`SO_TIMESTAMPING`, software): the latency "at arrival"
//! runs from the start of the POST to the moment the frame was queued on the client's socket, which is what
//! the server controls; "when read" runs to the moment this process's task read it, and adds the load
//! generator's own scheduling (a thousand tasks on the same two cores). Both are reported.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, Semaphore};

use super::{Server, now_micros, report_fanout, send_at_rate, usage};

/// A masked client text frame.
fn frame(text: &str) -> Vec<u8> {
    let payload = text.as_bytes();
    let mut out = vec![0x81];
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n if n < 65536 => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    let mask = [0x12, 0x34, 0x56, 0x78];
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    out
}

/// Where `needle` starts in `haystack` (SIMD search: the receivers must cost less than the server).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Connects, identifies, waits for GUILD_CREATE, acknowledges it in a heartbeat.
async fn connect(base: &str, token: &str) -> TcpStream {
    let host = base.trim_start_matches("http://");
    let mut socket = TcpStream::connect(host).await.expect("connect");
    socket.set_nodelay(true).unwrap();
    let request = format!(
        "GET /gateway?v=10&encoding=json HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    let mut identified = false;
    loop {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "gateway closed during the handshake");
        seen.extend_from_slice(&buf[..n]);
        if !identified && find(&seen, b"\"heartbeat_interval\"").is_some() {
            let identify = format!(r#"{{"op":2,"d":{{"token":"{token}","intents":33281,"properties":{{}}}}}}"#);
            socket.write_all(&frame(&identify)).await.unwrap();
            identified = true;
        }
        if find(&seen, b"\"GUILD_CREATE\"").is_some() {
            // GUILD_CREATE is a few KiB; read until its frame is complete enough to have passed.
            socket.write_all(&frame(r#"{"op":1,"d":2}"#)).await.unwrap();
            return socket;
        }
    }
}

/// Asks the kernel to stamp data arriving on `socket` (software receive timestamps).
fn stamp_arrivals(socket: &TcpStream) {
    let flags = (libc::SOF_TIMESTAMPING_RX_SOFTWARE | libc::SOF_TIMESTAMPING_SOFTWARE) as libc::c_int;
    // SAFETY: a valid socket descriptor and a c_int option value of the right size.
    let status = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_TIMESTAMPING,
            (&raw const flags).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(status, 0, "SO_TIMESTAMPING: {}", io::Error::last_os_error());
}

/// One `recvmsg`: the bytes read and when the kernel received the newest of them (µs since the epoch).
fn recv_stamped(socket: &std::net::TcpStream, buf: &mut [u8]) -> io::Result<(usize, Option<u64>)> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut control = [0u64; 32];
    // SAFETY: msghdr is plain data; every pointer set below outlives the call.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &raw mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = size_of_val(&control);
    // SAFETY: as above.
    let n = unsafe { libc::recvmsg(socket.as_raw_fd(), &raw mut msg, libc::MSG_DONTWAIT) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut arrived = None;
    // SAFETY: walking the control messages the kernel wrote into `control`, with the libc macros.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&raw const msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_TIMESTAMPING {
                // struct scm_timestamping { struct timespec ts[3]; }: ts[0] is the software stamp.
                let ts = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<libc::timespec>());
                arrived = Some(ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1000);
            }
            cmsg = libc::CMSG_NXTHDR(&raw const msg, cmsg);
        }
    }
    Ok((n as usize, arrived))
}

/// The fan-out run with raw receivers.
pub async fn fanout(server: &Server, n: usize, rate: u64, seconds: u64) {
    let pid = server.process.child.id();
    let gate = Arc::new(Semaphore::new(128));
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        let (gate, base, token) = (Arc::clone(&gate), server.base.clone(), server.listener.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let socket = connect(&base, &token).await;
            stamp_arrivals(&socket);
            socket
        }));
    }
    let mut sockets = Vec::with_capacity(n);
    for task in tasks {
        sockets.push(task.await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (cpu_before, _) = usage(pid);
    // (at arrival, when read) per delivery.
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let delivered = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    const MARK: &[u8] = b"\"content\":\"bench ";
    let marker = memchr::memmem::Finder::new(MARK).into_owned();
    // One deadline for every reader, well after the last message: no timer per read.
    let stop = tokio::time::Instant::now() + Duration::from_secs(seconds + 3);
    for socket in sockets {
        let (latencies, delivered, marker) = (Arc::clone(&latencies), Arc::clone(&delivered), marker.clone());
        // An AsyncFd, to mark the socket drained after a short read instead of asking the kernel again.
        // SAFETY: a std TcpStream owns its descriptor for as long as the AsyncFd owns the stream.
        let socket = unsafe { AsyncFd::register(socket.into_std().unwrap()) }
            .map_err(|e| e.to_string())
            .unwrap();
        readers.push(tokio::spawn(async move {
            let mut local: Vec<(u64, u64)> = Vec::new();
            let mut buf = vec![0u8; 16384];
            let mut carry: Vec<u8> = Vec::new();
            let deadline = tokio::time::sleep_until(stop);
            tokio::pin!(deadline);
            loop {
                let mut ready = tokio::select! {
                    ready = socket.readable() => match ready {
                        Ok(ready) => ready,
                        Err(_) => break,
                    },
                    () = &mut deadline => break,
                };
                let (read, arrived) = match ready.try_io(|socket| recv_stamped(socket.get_ref(), &mut buf)) {
                    Ok(Ok((0, _)) | Err(_)) => break,
                    Ok(Ok(got)) => got,
                    Err(_would_block) => continue,
                };
                if read < buf.len() {
                    ready.clear_ready();
                }
                let now = now_micros();
                let arrived = arrived.unwrap_or(now);
                carry.extend_from_slice(&buf[..read]);
                let mut at = 0;
                while let Some(found) = marker.find(&carry[at..]) {
                    let digits = at + found + MARK.len();
                    let Some(end) = carry[digits..].iter().position(|b| *b == b'"') else {
                        break;
                    };
                    if let Some(sent) = std::str::from_utf8(&carry[digits..digits + end])
                        .ok()
                        .and_then(|v| v.parse::<u64>().ok())
                    {
                        local.push((arrived.saturating_sub(sent), now.saturating_sub(sent)));
                        delivered.fetch_add(1, Ordering::Relaxed);
                    }
                    at = digits + end;
                }
                // Keep only what could be the start of a marker cut by this read.
                let keep = carry.len().saturating_sub(at).min(MARK.len() + 24);
                carry.drain(..carry.len() - keep);
            }
            latencies.lock().await.extend(local);
        }));
    }
    let (sent, window) = send_at_rate(server, rate, seconds).await;
    let (cpu_after, _) = usage(pid);
    for reader in readers {
        let _ = reader.await;
    }
    let all = latencies.lock().await.clone();
    let got = delivered.load(Ordering::Relaxed);
    for (label, pick) in [
        ("fan-out (raw receivers, at arrival)", 0),
        ("fan-out (raw receivers, when read)", 1),
    ] {
        let mut sorted: Vec<u64> = all.iter().map(|pair| if pick == 0 { pair.0 } else { pair.1 }).collect();
        sorted.sort_unstable();
        report_fanout(
            label,
            n,
            rate,
            seconds,
            sent,
            window,
            got,
            &sorted,
            cpu_after - cpu_before,
            f64::NAN,
        );
    }
}
