// "Invite people": makes an invite link into the space at once (7 days, one account, as the admin panel's
// default), shows it with a copy button, and makes a new one with other limits on request. Offered to those
// the server lets make invites (`mayInvite`).

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { attempt } from '../state/actions';
import { createInvite } from '../state/invites';
import { update, useStore } from '../state/store';

const AGES: [number, string][] = [
  [3600, '1 hour'],
  [86400, '1 day'],
  [604800, '7 days'],
  [2592000, '30 days'],
];
const USES: [number, string][] = [
  [1, '1 use'],
  [5, '5 uses'],
  [10, '10 uses'],
  [25, '25 uses'],
  [0, 'No limit'],
];

function close() {
  update((s) => {
    s.modal = null;
  });
}

/** Copies with the clipboard API, or, where it is missing (an insecure origin), from the selected text box. */
async function copyFrom(input: HTMLInputElement | null, text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    return document.execCommand('copy');
  }
}

export function InviteDialog() {
  const s = useStore();
  const [maxAge, setMaxAge] = useState(604800);
  const [maxUses, setMaxUses] = useState(1);
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<boolean | null>(null);
  const box = useRef<HTMLInputElement>(null);
  const make = async () => {
    setBusy(true);
    setCopied(null);
    const made = await attempt(() => createInvite(maxAge, maxUses));
    setBusy(false);
    if (made) setLink(made);
  };
  useEffect(() => void make(), []);
  const copyButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    copyButton.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div class="modal-backdrop" onClick={close}>
      <div class="dialog invite-dialog" role="dialog" aria-modal="true" aria-label="Invite people" onClick={(e) => e.stopPropagation()}>
        <div class="dialog-form">
          <h2>Invite people to {s.guild?.name ?? 'this space'}</h2>
          <p class="muted">Send this link to a friend: it lets them make an account here and join.</p>
          <div class="invite-link-row">
            <input
              ref={box}
              readOnly
              value={link ?? ''}
              placeholder={busy ? 'Making a link…' : ''}
              aria-label="Invite link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              ref={copyButton}
              type="button"
              disabled={!link}
              onClick={async () => link && setCopied(await copyFrom(box.current, link))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p class="muted invite-status" role="status">
            {copied === true ? 'The link is on your clipboard.' : copied === false ? 'Select the link and copy it.' : ''}
          </p>
          <div class="invite-limits">
            <label class="field">
              <span>Expire after</span>
              <select value={maxAge} onChange={(e) => setMaxAge(Number(e.currentTarget.value))}>
                {AGES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>Accounts it may make</span>
              <select value={maxUses} onChange={(e) => setMaxUses(Number(e.currentTarget.value))}>
                {USES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div class="dialog-buttons">
            <button type="button" class="secondary" disabled={busy} onClick={() => void make()}>
              New link
            </button>
            <button type="button" onClick={close}>
              Done
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
