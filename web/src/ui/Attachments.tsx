// A message's attachments: images, video and audio play inline (their length loaded up front, so a player never
// says 0:00 before it is started), a voice message's recording in its own player (`VoiceMessage.tsx`); anything
// else is a file card with a download link. File names are shown as text only.

import type { Attachment } from '../api/types';
import { Icon } from './Icon';
import { lazy, onDemand } from './lazy';

// The voice-message player comes with the on-demand chunk (a moment after the first one is shown).
const VoiceMessage = lazy(onDemand, 'VoiceMessage');

const MAX_W = 400;
const MAX_H = 300;

function fit(a: Attachment): { width: number; height: number } | null {
  if (!a.width || !a.height) return null;
  const scale = Math.min(1, MAX_W / a.width, MAX_H / a.height);
  return { width: Math.round(a.width * scale), height: Math.round(a.height * scale) };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The attachment's link on this page's own origin: the API's links are absolute (under the instance's public
 * URL, which may be another name for this host), and the page loads only same-origin media.
 */
function local(a: Attachment): string {
  try {
    const url = new URL(a.url, window.location.href);
    return url.pathname.startsWith('/attachments/') ? url.pathname + url.search : '';
  } catch {
    return '';
  }
}

function One({ a: given, voice }: { a: Attachment; voice: boolean }) {
  const a = { ...given, url: local(given) };
  const type = a.content_type ?? '';
  if (voice && (type.startsWith('audio/') || a.waveform !== undefined)) return <VoiceMessage a={a} />;
  if (type.startsWith('image/') && type !== 'image/svg+xml') {
    const size = fit(a);
    return (
      <a class="attachment image" href={a.url} target="_blank" rel="noopener" aria-label={`Image ${a.filename}`}>
        <img
          src={a.url}
          alt={a.filename}
          loading="lazy"
          width={size?.width}
          height={size?.height}
          style={size ? { width: `${size.width}px`, height: `${size.height}px` } : undefined}
        />
      </a>
    );
  }
  if (type.startsWith('video/')) {
    return <video class="attachment video" src={a.url} controls preload="metadata" aria-label={a.filename} />;
  }
  if (type.startsWith('audio/')) {
    return (
      <div class="attachment audio">
        <div class="file-name">{a.filename}</div>
        <audio src={a.url} controls preload="metadata" aria-label={a.filename} />
      </div>
    );
  }
  return (
    <div class="attachment file">
      <span class="file-icon" aria-hidden="true">
        <Icon name="file" size={30} />
      </span>
      <div>
        <a class="file-name" href={a.url} download={a.filename} rel="noopener">
          {a.filename}
        </a>
        <div class="file-size">{formatSize(a.size)}</div>
      </div>
    </div>
  );
}

/** `voice`: the message is a voice message (its recording gets the voice player). */
export function Attachments({ items, voice = false }: { items: Attachment[]; voice?: boolean }) {
  if (items.length === 0) return null;
  return (
    <div class="attachments">
      {items.map((a) => (
        <One key={a.id} a={a} voice={voice} />
      ))}
    </div>
  );
}
