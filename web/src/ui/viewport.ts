// Keeps the app as tall as what the person can see. When a phone's on-screen keyboard opens, browsers that
// honour `interactive-widget=resizes-content` (app.html's viewport) shrink the page; the others (iOS Safari)
// only shrink `visualViewport` and scroll the page under the keyboard. The app's height follows
// `visualViewport` through the `--app-height` custom property (style/phone.css), so the composer stays right
// above the keyboard either way.

export function trackViewport(): void {
  const vv = window.visualViewport;
  if (!vv) return;
  const root = document.documentElement;
  const apply = () => {
    // Zoomed in with two fingers: the visible part is small on purpose; keep the layout as it is.
    if (vv.scale > 1.01) return;
    root.style.setProperty('--app-height', `${Math.round(vv.height)}px`);
    // The page scrolled under the keyboard (iOS): put it back, the app is short enough now.
    if (vv.offsetTop > 0 || window.scrollY > 0) window.scrollTo(0, 0);
  };
  vv.addEventListener('resize', apply);
  vv.addEventListener('scroll', apply);
  apply();
}
