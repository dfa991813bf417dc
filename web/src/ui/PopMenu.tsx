// A button that opens a small menu beside it (below a header's button, above the user panel's), or a sheet
// at the bottom of a phone's screen: closed by a click outside, Escape, or choosing an item; the arrow keys
// move between items; focus goes into the menu and back to the button. Used by the bell (NotifyMenu) and the
// status picker (StatusMenu).

import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useStore } from '../state/store';
import '../style/notify.css';

const ITEMS = '[role^="menuitem"]:not([disabled])';

export function PopMenu({ label, button, buttonClass, place, menuLabel, sheet = true, children }: {
  /** The button's accessible name (and tooltip). */
  label: string;
  button: ComponentChildren;
  buttonClass: string;
  /** Where the menu opens on wide screens. */
  place: 'below' | 'above';
  menuLabel: string;
  /** A sheet at the bottom on phones (the status picker, in the drawer, stays a menu). */
  sheet?: boolean;
  children: (close: () => void) => ComponentChildren;
}) {
  const s = useStore();
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: Event) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [open]);
  useLayoutEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>(ITEMS)?.focus();
  }, [open]);
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(menu.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
    items[next]?.focus();
  };
  return (
    <div class="pop-menu-wrap" ref={wrap}>
      <button
        ref={opener}
        type="button"
        class={open ? `${buttonClass} active` : buttonClass}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {button}
      </button>
      {open && (
        <div
          ref={menu}
          class={`pop-menu ${s.narrow && sheet ? 'sheet' : place}`}
          role="menu"
          aria-label={menuLabel}
          onKeyDown={keys}
        >
          {children(close)}
        </div>
      )}
    </div>
  );
}

/** One item: a plain action, or one choice of a group (`checked`). */
export function MenuItem({ label, hint, checked, onSelect }: {
  label: string;
  hint?: string;
  checked?: boolean;
  onSelect: () => void;
}) {
  const radio = checked !== undefined;
  return (
    <button
      type="button"
      class="pop-item"
      role={radio ? 'menuitemradio' : 'menuitem'}
      aria-checked={radio ? checked : undefined}
      tabIndex={-1}
      onClick={onSelect}
    >
      <span class="pop-item-text">
        <span>{label}</span>
        {hint && <span class="pop-item-hint">{hint}</span>}
      </span>
      {radio && <span class={checked ? 'pop-check on' : 'pop-check'} aria-hidden="true" />}
    </button>
  );
}
