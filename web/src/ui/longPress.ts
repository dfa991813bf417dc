// A long press on a touch screen (about half a second without moving), for a message's actions: the handlers
// to spread on the element. The click the finger's release would make is swallowed once the press fired, and
// so is the browser's own long-press menu.

import { useEffect, useRef } from 'preact/hooks';

/** Just under half a second: before the browser's own long press (its menu, text selection) at about 500 ms. */
const LONG_MS = 450;
/** How far the finger may move (px) before it counts as scrolling instead. */
const SLOP = 10;

export interface LongPressHandlers {
  onTouchStart: (e: TouchEvent) => void;
  onTouchMove: (e: TouchEvent) => void;
  onTouchEnd: (e: TouchEvent) => void;
  onTouchCancel: () => void;
  onContextMenu: (e: MouseEvent) => void;
}

export function useLongPress(onLong: () => void): LongPressHandlers {
  const timer = useRef<number | null>(null);
  const origin = useRef<{ x: number; y: number } | null>(null);
  const fired = useRef(false);
  const latest = useRef(onLong);
  latest.current = onLong;
  const cancel = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => cancel, []);
  return {
    onTouchStart: (e) => {
      cancel();
      fired.current = false;
      const target = e.target instanceof Element ? e.target : null;
      // Links, media players and text boxes keep their own long press.
      if (e.touches.length !== 1 || target?.closest('a, input, textarea, video, audio')) return;
      const t = e.touches[0];
      origin.current = { x: t.clientX, y: t.clientY };
      timer.current = window.setTimeout(() => {
        timer.current = null;
        fired.current = true;
        navigator.vibrate?.(10);
        latest.current();
      }, LONG_MS);
    },
    onTouchMove: (e) => {
      const o = origin.current;
      const t = e.touches[0];
      if (o && t && Math.hypot(t.clientX - o.x, t.clientY - o.y) > SLOP) cancel();
    },
    onTouchEnd: (e) => {
      cancel();
      if (fired.current && e.cancelable) e.preventDefault();
    },
    onTouchCancel: cancel,
    onContextMenu: (e) => {
      if (fired.current || timer.current !== null) e.preventDefault();
    },
  };
}
