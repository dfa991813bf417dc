// Closing a small popup (a picker, the soundboard) the way the others close: a press anywhere outside it. The
// button that opened it (`opener`) is not outside: its own click toggles the popup.

import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

export function useDismiss(
  root: RefObject<HTMLElement | null>,
  onClose: () => void,
  opener?: RefObject<HTMLElement | null>,
): void {
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!root.current?.contains(target) && !opener?.current?.contains(target)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);
}
