// Desktop notifications while the tab is hidden, when the user turned them on in settings: what the
// notification settings let through (`notifySettings.shouldNotify`: by default mentions in the space's
// channels and every message in a DM or group DM, as Discord; nothing from muted channels or under Do Not
// Disturb). Quiet while push is on for this device: the server pushes to it while the tab is hidden, and the
// service worker shows those.

import { MessageFlag, MessageType, type Message } from '../api/types';
import { openChannel } from './actions';
import { conversationName, isGroup } from './private';
import { shouldNotify } from './notifySettings';
import { pushOnHere } from './push';
import { displayName, state } from './store';

const KEY = 'spot.notifications';

export function notificationsEnabled(): boolean {
  return localStorage.getItem(KEY) === 'on' && 'Notification' in window && Notification.permission === 'granted';
}

export async function setNotifications(on: boolean): Promise<boolean> {
  if (!on) {
    localStorage.setItem(KEY, 'off');
    return false;
  }
  if (!('Notification' in window)) return false;
  const permission = await Notification.requestPermission();
  localStorage.setItem(KEY, permission === 'granted' ? 'on' : 'off');
  return permission === 'granted';
}

function title(message: Message): string {
  const author = displayName(message.author.id, message.author);
  const conversation = state.privateChannels.get(message.channel_id);
  if (conversation) return isGroup(conversation) ? `${author} in ${conversationName(conversation)}` : author;
  return `${author} in #${state.channels.get(message.channel_id)?.name ?? ''}`;
}

function body(message: Message): string {
  if (message.type === MessageType.Call) return 'Started a call.';
  if (message.content) return message.content.slice(0, 200);
  if ((message.flags & MessageFlag.VoiceMessage) !== 0) return 'Sent a voice message.';
  if (message.sticker_items?.length) return `Sent a sticker: ${message.sticker_items[0].name}.`;
  return message.attachments.length ? `Sent ${message.attachments.length === 1 ? 'a file' : 'files'}.` : '';
}

/** A message from someone else arrived while the tab is hidden. */
export function notifyMessage(message: Message): void {
  if (!notificationsEnabled() || pushOnHere() || !shouldNotify(message)) return;
  // Notification bodies are plain text: the platform never renders them as HTML.
  const notification = new Notification(title(message), { body: body(message), tag: message.id });
  notification.onclick = () => {
    window.focus();
    openChannel(message.channel_id);
    notification.close();
  };
}
