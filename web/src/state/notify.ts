// Desktop notifications for mentions while the tab is hidden, when the user turned them on in settings.

import type { Message } from '../api/types';
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

export function notifyMention(message: Message): void {
  if (!notificationsEnabled()) return;
  const channel = state.channels.get(message.channel_id);
  // Notification bodies are plain text: the platform never renders them as HTML.
  const notification = new Notification(`${displayName(message.author.id, message.author)} in #${channel?.name ?? ''}`, {
    body: message.content.slice(0, 200),
    tag: message.id,
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
