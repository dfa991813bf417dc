// The Apps menu: the applications' context-menu commands for a message (the Apps button of its hover toolbar,
// the Apps item of its long-press sheet) or for a person (a right click on them in the member list), and the
// Apps section of a profile card. Choosing one runs it on that message or person (a command interaction with
// `target_id`). Beside what opened it on wide screens, a sheet at the bottom on phones. Opened by `openApps`
// (`popups.ts`); this file loads on demand (`onDemand.ts`).

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CommandType, type ApplicationCommand, type Snowflake } from '../api/types';
import { commandIndex, contextCommands } from '../state/commands';
import { runCommand } from '../state/interactions';
import { state, update, useStore } from '../state/store';
import { MenuItem } from './PopMenu';
import { closeApps as close, openAppsMenu, type AppsTarget as Target } from './popups';

function channelOf(target: Target): Snowflake {
  return target.kind === 'message' ? target.message.channel_id : target.channelId;
}

/** The context-menu commands for a message or a person where `channelId` is; null while they load. */
function useContextCommands(channelId: Snowflake, kind: Target['kind']) {
  useStore();
  const index = commandIndex(channelId);
  if (!index) return null;
  return contextCommands(index, kind === 'message' ? CommandType.Message : CommandType.User);
}

function run(target: Target, command: ApplicationCommand): void {
  const id = target.kind === 'message' ? target.message.id : target.userId;
  runCommand(channelOf(target), command, undefined, id);
}

function Items({ target, onDone }: { target: Target; onDone: () => void }) {
  const commands = useContextCommands(channelOf(target), target.kind);
  if (!commands) return <p class="muted">Loading apps…</p>;
  if (commands.length === 0) return <p class="muted">No apps here.</p>;
  return (
    <div class="apps-list">
      {commands.map(({ command, app }) => (
        <MenuItem
          key={command.id}
          label={command.name}
          hint={app?.name}
          onSelect={() => {
            onDone();
            run(target, command);
          }}
        />
      ))}
    </div>
  );
}

const ITEMS = '[role^="menuitem"]:not([disabled])';

function Menu({ target, at }: { target: Target; at: { x: number; y: number } | null }) {
  const menu = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const el = menu.current;
    if (!el || !at) return;
    const { width, height } = el.getBoundingClientRect();
    const left = Math.max(8, Math.min(at.x, window.innerWidth - width - 8));
    const top = at.y + height > window.innerHeight - 8 ? Math.max(8, at.y - height - 8) : at.y;
    if (place?.left !== left || place?.top !== top) setPlace({ left, top });
  });
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    return () => previous?.focus?.();
  }, []);
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>(ITEMS)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const items = [...(menu.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
        const i = items.indexOf(document.activeElement as HTMLElement);
        items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
  const what = target.kind === 'message' ? 'Apps for this message' : 'Apps for this person';
  if (!at) {
    return (
      <div class="sheet-backdrop" onClick={close}>
        <div ref={menu} class="action-sheet" role="menu" aria-label={what} onClick={(e) => e.stopPropagation()}>
          <p class="sheet-quote">
            <strong>Apps</strong>
          </p>
          <Items target={target} onDone={close} />
        </div>
      </div>
    );
  }
  return (
    <div class="popover-backdrop" onClick={close} onContextMenu={(e) => { e.preventDefault(); close(); }}>
      <div
        ref={menu}
        class="apps-menu"
        role="menu"
        aria-label={what}
        style={place ? { left: `${place.left}px`, top: `${place.top}px` } : { left: `${at.x}px`, top: `${at.y}px`, visibility: 'hidden' }}
        onClick={(e) => e.stopPropagation()}
      >
        <h3>Apps</h3>
        <Items target={target} onDone={close} />
      </div>
    </div>
  );
}

/** The open Apps menu, if any (App.tsx renders it once). */
export function AppsMenu() {
  useStore();
  const open = openAppsMenu();
  if (!open) return null;
  return <Menu key={open.target.kind === 'message' ? open.target.message.id : open.target.userId} target={open.target} at={open.at} />;
}

/** A profile card's Apps section: the user commands of the applications in the open conversation. */
export function UserApps({ userId }: { userId: Snowflake }) {
  const channelId = state.activeChannel;
  const commands = useContextCommands(channelId ?? '', 'user');
  if (!channelId || !commands || commands.length === 0) return null;
  const target: Target = { kind: 'user', userId, channelId };
  return (
    <section class="profile-apps" aria-label="Apps">
      <h3>Apps</h3>
      {commands.map(({ command, app }) => (
        <button
          key={command.id}
          type="button"
          class="secondary"
          title={app?.name}
          onClick={() => {
            update((s) => {
              s.profile = null;
            });
            run(target, command);
          }}
        >
          {command.name}
        </button>
      ))}
    </section>
  );
}
