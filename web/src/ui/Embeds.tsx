// Embeds under a message: link preview cards (title, description, site, author, colour bar, thumbnail or large
// image), direct image links, videos and audio that play only when asked, and bots' rich embeds (fields,
// footer). Every text is rendered as text. Images are shown only from spot's own image proxy (`/external/…`),
// so reading a message never makes the browser contact the linked site; video and audio come from the linked
// site only after a click on "Play".

import { useState } from 'preact/hooks';
import type { Embed, EmbedMedia } from '../api/types';

const MAX_W = 400;
const MAX_H = 300;

/** A link target we are willing to open: http(s) only. */
function safeHref(url?: string): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/** An image source we are willing to load: spot's proxy or uploads only. */
function proxied(media?: EmbedMedia): string | undefined {
  const src = media?.proxy_url;
  if (!src) return undefined;
  // spot's own paths only: the image proxy, attachments, and the DJ's cover art.
  if (src.startsWith('/external/') || src.startsWith('/attachments/') || src.startsWith('/music/covers/')) return src;
  try {
    const url = new URL(src);
    if (url.origin === window.location.origin && url.pathname.startsWith('/external/')) return url.pathname;
  } catch {
    // Not a URL: not shown.
  }
  return undefined;
}

function fit(media: EmbedMedia | undefined, maxW: number, maxH: number): { width: number; height: number } | null {
  if (!media?.width || !media?.height) return null;
  const scale = Math.min(1, maxW / media.width, maxH / media.height);
  return { width: Math.round(media.width * scale), height: Math.round(media.height * scale) };
}

function Picture({ media, href, alt, maxW, maxH, cls }: { media?: EmbedMedia; href?: string; alt: string; maxW: number; maxH: number; cls: string }) {
  const src = proxied(media);
  if (!src) return null;
  const size = fit(media, maxW, maxH);
  const img = (
    <img
      class={cls}
      src={src}
      alt={alt}
      loading="lazy"
      width={size?.width}
      height={size?.height}
      style={size ? { width: `${size.width}px`, height: `${size.height}px` } : undefined}
    />
  );
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {img}
    </a>
  ) : (
    img
  );
}

/** Video or audio from the linked site, loaded only after the reader asks for it. */
function Player({ kind, url, title }: { kind: 'video' | 'audio'; url: string; title: string }) {
  const [on, setOn] = useState(false);
  if (!on) {
    return (
      <button type="button" class="embed-play" onClick={() => setOn(true)} aria-label={`Play ${title}`}>
        ▶ Play {kind === 'video' ? 'video' : 'audio'}
      </button>
    );
  }
  return kind === 'video' ? (
    <video class="embed-video" src={url} controls autoPlay preload="metadata" aria-label={title} />
  ) : (
    <audio class="embed-audio" src={url} controls autoPlay aria-label={title} />
  );
}

function One({ e }: { e: Embed }) {
  const href = safeHref(e.url);
  const title = e.title ?? e.url ?? '';
  if (e.type === 'image' && !e.title && !e.description) {
    return (
      <div class="embed embed-bare">
        <Picture media={e.thumbnail ?? e.image} href={href} alt={title || 'Image'} maxW={MAX_W} maxH={MAX_H} cls="embed-image" />
      </div>
    );
  }
  const playable = safeHref(e.video?.url);
  const card = (
    <div class="embed" data-type={e.type ?? 'rich'}>
      <span
        class="embed-bar"
        aria-hidden="true"
        style={e.color !== undefined ? { background: `#${e.color.toString(16).padStart(6, '0')}` } : undefined}
      />
      <div class="embed-body">
        {e.provider?.name && <div class="embed-provider">{e.provider.name}</div>}
        {e.author?.name && (
          <div class="embed-author">
            {safeHref(e.author.url) ? (
              <a href={safeHref(e.author.url)} target="_blank" rel="noopener noreferrer">
                {e.author.name}
              </a>
            ) : (
              e.author.name
            )}
          </div>
        )}
        {e.title &&
          (href ? (
            <a class="embed-title" href={href} target="_blank" rel="noopener noreferrer">
              {e.title}
            </a>
          ) : (
            <div class="embed-title">{e.title}</div>
          ))}
        {e.description && <div class="embed-description">{e.description}</div>}
        {e.fields && e.fields.length > 0 && (
          <dl class="embed-fields">
            {e.fields.slice(0, 25).map((f, i) => (
              <div key={i} class={f.inline ? 'embed-field inline' : 'embed-field'}>
                <dt>{f.name}</dt>
                <dd>{f.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {e.image && <Picture media={e.image} href={href} alt={title} maxW={MAX_W} maxH={MAX_H} cls="embed-image" />}
        {e.type === 'video' && playable && <Player kind="video" url={playable} title={title} />}
        {e.type === 'audio' && href && <Player kind="audio" url={href} title={title} />}
        {e.footer?.text && <div class="embed-footer">{e.footer.text}</div>}
      </div>
      {e.thumbnail && !e.image && (
        <Picture media={e.thumbnail} href={href} alt={title} maxW={80} maxH={80} cls="embed-thumbnail" />
      )}
    </div>
  );
  return card;
}

export function Embeds({ items }: { items?: Embed[] }) {
  if (!items || items.length === 0) return null;
  return (
    <div class="embeds">
      {items.slice(0, 10).map((e, i) => (
        <One key={`${e.url ?? ''}-${i}`} e={e} />
      ))}
    </div>
  );
}
