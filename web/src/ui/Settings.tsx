// User settings: profile (display name, avatar), password, active sessions (log out the others), privacy (who
// may start DMs, blocked people), appearance (theme), notifications and voice (devices, push-to-talk), the
// space's expressions (custom emoji, stickers, sounds: for people who may add them), plus logging out.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, csrfToken } from '../api/rest';
import type { SessionInfo, User } from '../api/types';
import { attempt } from '../state/actions';
import { setDmsAllowed, unblock } from '../state/dms';
import { beforeLogout } from '../state/device';
import { Perm, can, displayName, update, useStore, userById } from '../state/store';
import { Avatar } from './Avatar';
import { Expressions } from './Expressions';
import { setTheme, themeChoice, type ThemeChoice } from './theme';
import { Icon } from './Icon';
import { NotificationSettings } from './NotificationSettings';
import { VoiceSettings } from './VoiceSettings';

type Tab = 'account' | 'sessions' | 'privacy' | 'appearance' | 'notifications' | 'voice' | 'expressions';

function close() {
  update((s) => {
    s.modal = null;
  });
}

export function readAsDataUri(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

function Profile() {
  const s = useStore();
  const me = s.me!;
  const [name, setName] = useState(me.global_name ?? '');
  const [saved, setSaved] = useState('');
  const save = async (body: Record<string, unknown>) => {
    const user = await attempt(() => api<User>('PATCH', '/users/@me', body));
    if (user) {
      update((st) => {
        st.me = user;
      });
      setSaved('Saved.');
    }
  };
  return (
    <section aria-labelledby="profile-title">
      <h3 id="profile-title">Profile</h3>
      <div class="profile-row">
        <Avatar user={me} size={80} />
        <label class="button secondary">
          Change avatar
          <input
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            hidden
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (file) await save({ avatar: await readAsDataUri(file) });
            }}
          />
        </label>
        {me.avatar && (
          <button type="button" class="secondary" onClick={() => void save({ avatar: null })}>
            Remove
          </button>
        )}
      </div>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ global_name: name.trim() || null });
        }}
      >
        <label>
          Display name
          <input value={name} maxLength={32} placeholder={me.username} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <div class="row-buttons">
          <button type="submit">Save</button>
          <span class="muted" role="status">{saved}</span>
        </div>
      </form>
    </section>
  );
}

function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState('');
  return (
    <section aria-labelledby="password-title">
      <h3 id="password-title">Password</h3>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const done = await attempt(() => api('PATCH', '/users/@me', { password: current, new_password: next }));
          if (done) {
            setCurrent('');
            setNext('');
            setMessage('Password changed. Your other sessions were logged out.');
          }
        }}
      >
        <label>
          Current password
          <input type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label>
          New password
          <input type="password" autocomplete="new-password" required minLength={8} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <div class="row-buttons">
          <button type="submit">Change password</button>
          <span class="muted" role="status">{message}</span>
        </div>
      </form>
    </section>
  );
}

function Sessions() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const load = () => void attempt(() => api<SessionInfo[]>('GET', '/users/@me/sessions')).then((l) => setSessions(l ?? []));
  useEffect(load, []);
  const others = sessions?.filter((x) => !x.current) ?? [];
  return (
    <section aria-labelledby="sessions-title">
      <h3 id="sessions-title">Active sessions</h3>
      <ul class="sessions">
        {sessions?.map((x) => (
          <li key={x.id_hash}>
            <strong>{x.current ? 'This browser' : x.user_agent || 'Unknown browser'}</strong>
            <div class="muted">
              {x.ip} · since {new Date(x.created_at).toLocaleString()}
              {x.last_used_at && ` · last active ${new Date(x.last_used_at).toLocaleString()}`}
            </div>
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="danger"
        disabled={others.length === 0}
        onClick={async () => {
          await attempt(() => api('POST', '/users/@me/sessions/logout', { id_hashes: others.map((x) => x.id_hash) }));
          load();
        }}
      >
        Log out all other sessions
      </button>
    </section>
  );
}

function Privacy() {
  const s = useStore();
  const blocked = [...s.blocked]
    .map((id) => userById(id))
    .filter((u): u is User => !!u)
    .sort((a, b) => displayName(a.id, a).localeCompare(displayName(b.id, b)));
  return (
    <>
      <section aria-labelledby="dms-title">
        <h3 id="dms-title">Direct messages</h3>
        <label class="radio">
          <input type="checkbox" checked={!s.dmsRestricted} onChange={(e) => void setDmsAllowed(e.currentTarget.checked)} />
          Allow direct messages from people in this space
        </label>
        <p class="muted setting-help">
          When this is off, people can no longer start a conversation with you or add you to a group. Conversations
          you started stay open.
        </p>
      </section>
      <section aria-labelledby="blocked-title">
        <h3 id="blocked-title">Blocked people</h3>
        {blocked.length === 0 ? (
          <p class="muted">You haven't blocked anyone.</p>
        ) : (
          <ul class="sessions blocked-list">
            {blocked.map((u) => (
              <li key={u.id}>
                <Avatar user={u} size={32} />
                <strong>{displayName(u.id, u)}</strong>
                <span class="muted">{u.username}</span>
                <button type="button" class="secondary" onClick={() => void unblock(u.id)}>
                  Unblock
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Appearance() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice());
  const options: [ThemeChoice, string][] = [
    ['system', 'Sync with system'],
    ['dark', 'Dark'],
    ['light', 'Light'],
  ];
  return (
    <section aria-labelledby="theme-title">
      <h3 id="theme-title">Theme</h3>
      <div role="radiogroup" aria-labelledby="theme-title" class="stack">
        {options.map(([value, label]) => (
          <label key={value} class="radio">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={choice === value}
              onChange={() => {
                setChoice(value);
                setTheme(value);
              }}
            />
            {label}
          </label>
        ))}
      </div>
    </section>
  );
}

/** Logging out: this device's push subscription and every cache of private data go first (bounded by a
 *  timeout), then the form posts as usual. */
function logOut(e: Event) {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  form.querySelector('button')?.setAttribute('disabled', '');
  void beforeLogout().finally(() => form.submit());
}

export function Settings() {
  const [tab, setTab] = useState<Tab>('account');
  const first = useRef<HTMLButtonElement>(null);
  // Focus moves into the dialog when it opens and back to where it was when it closes.
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => previous?.focus();
  }, []);
  const tabs: [Tab, string][] = [
    ['account', 'My account'],
    ['sessions', 'Sessions'],
    ['privacy', 'Privacy & safety'],
    ['appearance', 'Appearance'],
    ['notifications', 'Notifications'],
    ['voice', 'Voice'],
  ];
  if (can(Perm.CreateGuildExpressions) || can(Perm.ManageGuildExpressions)) tabs.push(['expressions', 'Expressions']);
  return (
    <div class="modal-backdrop" onClick={close}>
      <div class="settings" role="dialog" aria-modal="true" aria-label="User settings" onClick={(e) => e.stopPropagation()}>
        <nav class="settings-nav" aria-label="Settings sections">
          <div role="tablist" aria-orientation="vertical">
            {tabs.map(([id, label], i) => (
              <button ref={i === 0 ? first : undefined} key={id} type="button" role="tab" aria-selected={tab === id} class={tab === id ? 'active' : undefined} onClick={() => setTab(id)}>
                {label}
              </button>
            ))}
          </div>
          {/* A real form post: the server may answer with a page offering to sign out of the identity
              provider too (single sign-on). */}
          <form method="post" action="/logout" class="logout-form" onSubmit={logOut}>
            <input type="hidden" name="csrf_token" value={csrfToken()} />
            <button type="submit" class="danger">
              Log out
            </button>
          </form>
        </nav>
        <div class="settings-body" role="tabpanel">
          {tab === 'account' && (
            <>
              <Profile />
              <Password />
              {document.querySelector('meta[name="spot-sso"]') && (
                <section aria-labelledby="sso-title">
                  <h3 id="sso-title">Single sign-on</h3>
                  <p>
                    <a href="/settings/sso">Single sign-on settings</a>: link or unlink your accounts at identity providers.
                  </p>
                </section>
              )}
            </>
          )}
          {tab === 'sessions' && <Sessions />}
          {tab === 'privacy' && <Privacy />}
          {tab === 'appearance' && <Appearance />}
          {tab === 'notifications' && <NotificationSettings />}
          {tab === 'voice' && <VoiceSettings />}
          {tab === 'expressions' && <Expressions />}
        </div>
        <button type="button" class="icon close" aria-label="Close settings" onClick={close}>
          <Icon name="close" size={18} />
        </button>
      </div>
    </div>
  );
}
