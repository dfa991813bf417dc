// Settings → Voice: which microphone and speakers to use, and voice activity or push-to-talk (with the key).
// Device names are only visible to pages that were granted a device once, so the list says so when empty.

import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../state/store';
import { canChooseOutput } from '../voice/audio';
import { setInput, setMode, setOutput } from '../voice/local';
import { keyLabel, prefs } from '../voice/prefs';

function useDevices(): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const media = navigator.mediaDevices;
    if (!media?.enumerateDevices) return;
    const load = () => void media.enumerateDevices().then(setDevices, () => setDevices([]));
    load();
    media.addEventListener('devicechange', load);
    return () => media.removeEventListener('devicechange', load);
  }, []);
  return devices;
}

function DeviceSelect({ kind, label, value, onChange }: {
  kind: MediaDeviceKind;
  label: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const devices = useDevices().filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default');
  return (
    <label class="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Browser default</option>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

export function VoiceSettings() {
  useStore();
  const [capturing, setCapturing] = useState(false);
  useEffect(() => {
    if (!capturing) return;
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
      if (e.code !== 'Escape') setMode('ptt', e.code);
      setCapturing(false);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [capturing]);
  return (
    <section aria-labelledby="voice-title">
      <h3 id="voice-title">Voice</h3>
      <DeviceSelect kind="audioinput" label="Microphone" value={prefs.input} onChange={(id) => void setInput(id)} />
      {canChooseOutput() ? (
        <DeviceSelect kind="audiooutput" label="Speakers" value={prefs.output} onChange={setOutput} />
      ) : (
        <p class="muted">This browser plays voice on its default speakers.</p>
      )}
      <p class="muted">Device names appear once you have allowed this site to use your microphone.</p>
      <div role="radiogroup" aria-labelledby="voice-mode-title" class="stack">
        <h4 id="voice-mode-title">Input mode</h4>
        <label class="radio">
          <input type="radio" name="voice-mode" checked={prefs.mode === 'voice'} onChange={() => setMode('voice')} />
          Voice activity: your microphone is on while you are unmuted
        </label>
        <label class="radio">
          <input type="radio" name="voice-mode" checked={prefs.mode === 'ptt'} onChange={() => setMode('ptt')} />
          Push to talk: your microphone is on only while you hold a key
        </label>
      </div>
      {prefs.mode === 'ptt' && (
        <p>
          Key:{' '}
          <button type="button" class="button secondary" aria-label={capturing ? 'Press the push-to-talk key, or Escape to cancel' : `Push-to-talk key: ${keyLabel(prefs.pttKey)}`} onClick={() => setCapturing(true)}>
            {capturing ? 'Press a key… (Escape cancels)' : keyLabel(prefs.pttKey)}
          </button>{' '}
          <span class="muted">It does not transmit while you are typing in a text box.</span>
        </p>
      )}
    </section>
  );
}
