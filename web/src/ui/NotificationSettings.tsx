// Settings → Notifications: push notifications on this device (turned on only by the button, which is when
// the browser asks for the permission; turned off again; blocked or unsupported said plainly), the in-tab
// desktop notifications, and the space's defaults kept by the server for every device (all messages / only
// @mentions / nothing, suppress @everyone). Channels and DMs have their own settings in their header's bell.

import { useEffect, useState } from 'preact/hooks';
import { NotifyLevel } from '../api/types';
import { showError } from '../state/actions';
import { notificationsEnabled, setNotifications } from '../state/notify';
import { LEVEL_NAMES, patchSettings, settingsFor, spaceKey } from '../state/notifySettings';
import { disablePush, enablePush, pushUnsupported, readPush, type PushStatus } from '../state/push';
import { useStore } from '../state/store';

const STATUS_TEXT: Record<PushStatus, string> = {
  on: 'On for this device: mentions, direct messages and calls reach it even when spot is closed.',
  off: 'Off for this device.',
  blocked:
    "Blocked by the browser: notifications for this site are turned off in the browser's settings. Allow them " +
    'there, then come back here.',
  unsupported: 'Not supported here.',
};

function PushSection() {
  const s = useStore();
  const [status, setStatus] = useState<PushStatus | 'checking'>('checking');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    void readPush().then((found) => live && setStatus(found));
    return () => {
      live = false;
    };
  }, []);
  const run = async (action: () => Promise<PushStatus>) => {
    setBusy(true);
    try {
      setStatus(await action());
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  const reason = pushUnsupported();
  return (
    <section aria-labelledby="push-title">
      <h3 id="push-title">Push notifications</h3>
      <p class="push-status" role="status" data-state={status}>
        {status === 'checking' ? 'Checking…' : status === 'unsupported' ? (reason ?? STATUS_TEXT.unsupported) : STATUS_TEXT[status]}
      </p>
      <div class="row-buttons">
        {(status === 'off' || status === 'blocked') && (
          <button type="button" disabled={busy} onClick={() => void run(() => enablePush(s.me!.id))}>
            Enable push notifications on this device
          </button>
        )}
        {status === 'on' && (
          <button type="button" class="secondary" disabled={busy} onClick={() => void run(disablePush)}>
            Turn off on this device
          </button>
        )}
      </div>
      {s.myStatus === 'dnd' && (
        <p class="muted setting-help">Your status is Do Not Disturb: nothing is pushed and no notifications show.</p>
      )}
    </section>
  );
}

function InTab() {
  const [on, setOn] = useState(notificationsEnabled());
  const supported = 'Notification' in window;
  return (
    <section aria-labelledby="notify-title">
      <h3 id="notify-title">While this tab is open</h3>
      <label class="radio">
        <input
          type="checkbox"
          checked={on}
          disabled={!supported}
          onChange={async (e) => setOn(await setNotifications(e.currentTarget.checked))}
        />
        Desktop notifications while this tab is hidden
      </label>
      <p class="muted setting-help">
        Used when push is off for this device. Follows the same settings: muted channels and conversations stay quiet.
      </p>
      {!supported && <p class="muted">This browser does not support notifications.</p>}
    </section>
  );
}

function SpaceDefaults() {
  const s = useStore();
  const key = spaceKey();
  const entry = settingsFor(key);
  const levels = [NotifyLevel.All, NotifyLevel.Mentions, NotifyLevel.Nothing];
  return (
    <section aria-labelledby="space-notify-title">
      <h3 id="space-notify-title">{s.guild?.name ?? 'Space'}: default for channels</h3>
      <div role="radiogroup" aria-labelledby="space-notify-title" class="stack">
        {levels.map((level) => (
          <label key={level} class="radio">
            <input
              type="radio"
              name="space-notify"
              checked={entry.message_notifications === level}
              onChange={() => void patchSettings(key, { message_notifications: level })}
            />
            {LEVEL_NAMES[level]}
          </label>
        ))}
      </div>
      <label class="radio">
        <input
          type="checkbox"
          checked={entry.suppress_everyone}
          onChange={(e) => void patchSettings(key, { suppress_everyone: e.currentTarget.checked })}
        />
        Suppress @everyone and @here
      </label>
      <p class="muted setting-help">
        Every device follows these, and each channel's or conversation's own choice in its bell menu. Direct
        messages notify for every message unless you change a conversation.
      </p>
    </section>
  );
}

export function NotificationSettings() {
  return (
    <>
      <PushSection />
      <SpaceDefaults />
      <InTab />
    </>
  );
}
