// The kinds of screen the layout adapts to, for components: a phone (below 760 px the channel list is a drawer;
// the same width as the stylesheets' phone rules) and a touch screen without hover (taps instead of hovering:
// long-press for a message's actions, a tap to show a call tile's controls).

import { useEffect, useState } from 'preact/hooks';

export const PHONE = '(max-width: 760px)';
export const TOUCH = '(hover: none)';

/** Whether a media query matches now. */
export function matches(query: string): boolean {
  return window.matchMedia(query).matches;
}

/** Whether a media query matches, re-rendering the component when that changes. */
export function useMedia(query: string): boolean {
  const [now, setNow] = useState(() => matches(query));
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setNow(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return now;
}
