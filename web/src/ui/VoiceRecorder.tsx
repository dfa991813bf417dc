// The recording bar in the composer while a voice message records (`MicButton.tsx` starts it): the time so far,
// the microphone's level, Cancel and Send; while the microphone is held, "Release to send". Five minutes at most:
// then it is sent as it is. Sending uploads it as Discord does (flag 8192, `state/actions.ts`). Loaded on demand.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Snowflake } from '../api/types';
import { sendVoiceMessage, showError } from '../state/actions';
import { Icon } from './Icon';
import type { VoiceMode } from './MicButton';
import { Recorder } from './recorder';
import { clock } from './time';

const MAX_MS = 5 * 60 * 1000;

function refusal(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The microphone is blocked: allow it in the browser to record a voice message.';
  }
  if (name === 'NotFoundError') return 'No microphone was found.';
  return 'The voice message could not be recorded.';
}

export function VoiceRecorder({ channelId, mode, onEnd }: {
  channelId: Snowflake;
  mode: VoiceMode;
  /** The bar is done (sent, cancelled, refused). */
  onEnd: () => void;
}) {
  const [phase, setPhase] = useState<'starting' | 'recording' | 'sending'>('starting');
  const [elapsed, setElapsed] = useState(0);
  // Released before the microphone was there (its permission prompt, say): it records on as after a tap.
  const [early, setEarly] = useState(false);
  const recorder = useRef<Recorder | null>(null);
  const ended = useRef(false);
  const latest = useRef(mode);
  latest.current = mode;
  const fill = useRef<HTMLSpanElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);

  const finish = async (send: boolean) => {
    const r = recorder.current;
    if (ended.current || (!r && send)) return; // Still starting: it records on once started.
    ended.current = true;
    if (!r || !send) {
      r?.cancel();
      onEnd();
      return;
    }
    setPhase('sending');
    const recorded = await r.stop().catch(() => null);
    onEnd();
    if (recorded) void sendVoiceMessage(channelId, recorded.file, recorded.duration, recorded.waveform);
    else showError('Nothing was recorded.');
  };

  useEffect(() => {
    let alive = true;
    Recorder.open().then(
      (r) => {
        if (!alive || ended.current) {
          r.cancel();
          return;
        }
        recorder.current = r;
        setPhase('recording');
        if (latest.current === 'cancel') void finish(false);
        else if (latest.current === 'send') setEarly(true);
      },
      (error: unknown) => {
        if (!alive) return;
        ended.current = true;
        showError(refusal(error));
        onEnd();
      },
    );
    return () => {
      alive = false;
      // Leaving the channel (or the page) mid-recording throws it away; one being sent goes on.
      if (!ended.current) {
        ended.current = true;
        recorder.current?.cancel();
      }
    };
  }, []);

  useEffect(() => {
    if (mode === 'send' || mode === 'cancel') void finish(mode === 'send');
  }, [mode]);

  // Recording after a tap (or a key): Send takes the focus (Escape or Cancel throws the recording away).
  const onAfterTap = (mode === 'tap' || early) && phase === 'recording';
  useLayoutEffect(() => {
    if (onAfterTap) sendButton.current?.focus();
  }, [onAfterTap]);

  useEffect(() => {
    const r = recorder.current;
    if (phase !== 'recording' || !r) return undefined;
    const tick = window.setInterval(() => setElapsed(r.elapsed()), 250);
    const limit = window.setTimeout(() => void finish(true), MAX_MS - r.elapsed() * 1000);
    let frame = requestAnimationFrame(function draw() {
      if (fill.current) fill.current.style.transform = `scaleX(${r.level().toFixed(3)})`;
      frame = requestAnimationFrame(draw);
    });
    return () => {
      window.clearInterval(tick);
      window.clearTimeout(limit);
      cancelAnimationFrame(frame);
    };
  }, [phase]);

  const hint = phase === 'starting' ? 'Starting…' : phase === 'sending' ? 'Sending…' : mode === 'hold' ? 'Release to send' : '';
  return (
    <div
      class={`recording-bar ${phase}`}
      role="group"
      aria-label="Recording a voice message"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          void finish(false);
        }
      }}
    >
      <span class="rec-dot" aria-hidden="true" />
      <span class="rec-time" role="timer" aria-label="Recording time">
        {clock(elapsed)}
      </span>
      <span class="rec-level" aria-hidden="true">
        <span ref={fill} class="rec-level-fill" />
      </span>
      <span class="rec-hint">{hint}</span>
      <button
        type="button"
        class="icon"
        aria-label="Cancel voice message"
        title="Cancel"
        disabled={phase === 'sending'}
        onClick={() => void finish(false)}
      >
        <Icon name="trash" />
      </button>
      <button
        ref={sendButton}
        type="button"
        class="send"
        aria-label="Send voice message"
        title="Send"
        disabled={phase !== 'recording'}
        onClick={() => void finish(true)}
      >
        <Icon name="send" />
      </button>
    </div>
  );
}
