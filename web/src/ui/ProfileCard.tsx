// A person's card, opened from the member list, a message's author or a group's people: their avatar and
// names, and what one can do with them — send a message (their DM), block or unblock. Someone brought in from a
// Discord export (an author of old messages, who never logs in and is not a member) has a card with their avatar
// and names only. Beside the click on wide screens; a sheet at the bottom on phones. Opened by `openProfile`
// (`popups.ts`); this file loads on demand.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { block, openDm, unblock } from '../state/dms';
import { displayName, update, useStore, userById } from '../state/store';
import { UserApps } from './AppsMenu';
import { Avatar } from './Avatar';
import { IMPORTED_NOTE, ImportedTag } from './Components';

function close() {
  update((s) => {
    s.profile = null;
  });
}

const MARGIN = 8;

export function ProfileCard() {
  const s = useStore();
  const card = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  const profile = s.profile;
  // Beside what was clicked (to its right, or to its left when the window ends first, as from the member list),
  // kept inside the window once the card's size is known.
  useLayoutEffect(() => {
    setPlace(null);
    if (!profile || s.narrow || !card.current) return;
    const { width, height } = card.current.getBoundingClientRect();
    const fitsRight = profile.right + MARGIN + width <= window.innerWidth - MARGIN;
    const left = fitsRight ? profile.right + MARGIN : profile.left - MARGIN - width;
    const top = Math.min(Math.max(MARGIN, profile.top), window.innerHeight - height - MARGIN);
    setPlace({ left: Math.max(MARGIN, left), top: Math.max(MARGIN, top) });
  }, [profile?.userId, profile?.left, profile?.top, s.narrow]);
  // Focus moves into the card when it opens and back to what opened it when it closes.
  useLayoutEffect(() => {
    if (!profile) return undefined;
    const previous = document.activeElement as HTMLElement | null;
    (first.current ?? card.current)?.focus();
    return () => previous?.focus?.();
  }, [profile?.userId]);
  if (!profile) return null;
  const user = userById(profile.userId) ?? profile.user;
  if (!user) return null;
  const imported = !!user.imported;
  const self = user.id === s.me?.id;
  const blocked = s.blocked.has(user.id);
  const name = displayName(user.id, user);
  const style = s.narrow ? undefined : place ? { left: `${place.left}px`, top: `${place.top}px` } : { visibility: 'hidden' };
  return (
    <div class="popover-backdrop" onClick={close}>
      <div
        ref={card}
        class={s.narrow ? 'profile-card sheet' : 'profile-card'}
        role="dialog"
        aria-modal="true"
        aria-label={`Profile of ${name}`}
        tabIndex={imported ? -1 : undefined}
        style={style}
        onClick={(e) => e.stopPropagation()}
      >
        <Avatar user={user} size={80} status={imported ? undefined : (s.presences.get(user.id) ?? 'offline')} />
        <div class="profile-names">
          <h2>
            {name}
            {user.bot && <span class="bot-tag">APP</span>}
            {imported && <ImportedTag />}
          </h2>
          <div class="muted">{user.username}</div>
        </div>
        {imported && <p class="profile-note">{IMPORTED_NOTE}; they have not joined here.</p>}
        {blocked && <p class="profile-note">You blocked this person. You won't see their messages unless you ask.</p>}
        {imported ? null : self ? (
          <button
            ref={first}
            type="button"
            class="secondary"
            onClick={() =>
              update((st) => {
                st.profile = null;
                st.modal = 'settings';
              })
            }
          >
            Edit profile
          </button>
        ) : (
          <div class="profile-actions">
            <button ref={first} type="button" onClick={() => void openDm(user.id)}>
              Message
            </button>
            <button
              type="button"
              class={blocked ? 'secondary' : 'danger'}
              onClick={() => void (blocked ? unblock(user.id) : block(user.id))}
            >
              {blocked ? 'Unblock' : 'Block'}
            </button>
          </div>
        )}
        {!imported && <UserApps userId={user.id} />}
      </div>
    </div>
  );
}
