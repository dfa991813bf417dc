// Light and dark themes: the system's preference unless the user chose one (kept in localStorage). The theme is
// an attribute on <html>; the CSS does the rest.

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'spot.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

export function themeChoice(): ThemeChoice {
  const saved = localStorage.getItem(KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

export function applyTheme(choice: ThemeChoice = themeChoice()): void {
  const dark = choice === 'dark' || (choice === 'system' && media.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function setTheme(choice: ThemeChoice): void {
  localStorage.setItem(KEY, choice);
  applyTheme(choice);
}

media.addEventListener('change', () => applyTheme());
