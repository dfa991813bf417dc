// The interface's icons, drawn as inline SVG (stroke paths on a 24×24 grid) so they look the same on every
// system, with or without an emoji font. Decorative: the buttons around them carry the labels.

const PATHS = {
  hash: 'M10 3 8 21M16 3l-2 18M4 8h17M3 16h17',
  speaker: 'M4 9h4l5-4v14l-5-4H4zM16.5 9a4 4 0 0 1 0 6M19 6.5a7.5 7.5 0 0 1 0 11',
  thread: 'M4 5h16v10h-9l-4 4v-4H4zM8 9h8M8 12h5',
  pin: 'M9 3h6l-1 6 3 3v2H7v-2l3-3zM12 14v7',
  members: 'M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6M16 14c2.8 0 5 2 5 5M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6M17 11a2.5 2.5 0 1 0 0-5',
  search: 'M11 17a6 6 0 1 0 0-12 6 6 0 0 0 0 12M15.5 15.5 21 21',
  plus: 'M12 5v14M5 12h14',
  send: 'M4 12 20 4l-6 16-3-7z',
  close: 'M6 6l12 12M18 6 6 18',
  reply: 'M10 7 5 12l5 5M5 12h10a4 4 0 0 1 4 4v3',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  trash: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13M10 11v5M14 11v5',
  smile: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18M8.5 14a4 4 0 0 0 7 0M9 9.5h.01M15 9.5h.01',
  menu: 'M4 6h16M4 12h16M4 18h16',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6',
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0M12 18v3',
  micOff: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0M12 18v3M4 4l16 16',
  headphones: 'M4 16v-4a8 8 0 0 1 16 0v4M4 15h3v5H4zM17 15h3v5h-3z',
  headphonesOff: 'M4 16v-4a8 8 0 0 1 16 0v4M4 15h3v5H4zM17 15h3v5h-3zM3 3l18 18',
  video: 'M3 7h12v10H3zM15 10l6-3v10l-6-3z',
  videoOff: 'M3 7h12v10H3zM15 10l6-3v10l-6-3zM3 3l18 18',
  screen: 'M3 4h18v12H3zM8 20h8M12 16v4',
  hangup: 'M3 15c5-5 13-5 18 0l-2 3-4-2v-3c-2-1-4-1-6 0v3l-4 2z',
  grid: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  spotlight: 'M3 4h18v11H3zM3 19h5M10 19h4M16 19h5',
  music: 'M9 18V5l11-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0M20 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0',
  phone: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  userPlus: 'M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6M19 8v6M16 11h6',
  at: 'M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0M16 12v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-3.5 7.1',
  block: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18M5.6 5.6l12.8 12.8',
  chevron: 'M6 9l6 6 6-6',
  message: 'M4 5h16v11H9l-5 4z',
  leave: 'M10 4H5v16h5M15 8l4 4-4 4M19 12H9',
  bell: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
  bellOff: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4M3 3l18 18',
  copy: 'M8 8h12v12H8zM16 8V4H4v12h4',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  play: 'M7 4v16l13-8z',
  pause: 'M7 4h3v16H7zM14 4h3v16h-3z',
  sticker: 'M4 4h16v9l-7 7H4zM13 20v-4a3 3 0 0 1 3-3h4M9 10h.01M15 10h.01',
  soundboard: 'M4 4h16v16H4zM9 9v6M12 7v10M15 10v4',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      class="icon-svg"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
      {name === 'settings' && <circle cx="12" cy="12" r="8" stroke-width="3.2" stroke-dasharray="3.1 3.18" />}
    </svg>
  );
}
