// Entry point: applies the theme, connects the gateway, mounts the app, and wires the global keys (Ctrl+K,
// Escape), browser navigation, the phone's drawer swipes and the visible height above its keyboard;
// `state/device.ts` adds the service worker, push, presence (background tabs are `afk`) and offline.

import { render } from 'preact';
import { Gateway } from './gateway/client';
import { applyDispatch } from './state/events';
import { afterDispatch, afterStatus, startDevice } from './state/device';
import { presence } from './state/presence';
import { markRead, openChannel } from './state/actions';
import { defaultPanel, state, update } from './state/store';
// Every stylesheet, in cascade order, here (before any module that imports one): the UI loaded on demand
// (ui/onDemand.ts) brings none of its own.
import './style/notify.css';
import './style/interactions.css';
import './style/app.css';
import './style/phone.css';
import { App, QuickSwitcher } from './ui/App';
import { applyTheme } from './ui/theme';
import { bindSwipes } from './ui/swipe';
import { trackViewport } from './ui/viewport';
import { bindGateway } from './voice/controller';

applyTheme();
trackViewport();
bindSwipes();

const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
const gateway = new Gateway(`${scheme}//${window.location.host}/gateway`, {
  onDispatch: (type, data) => {
    applyDispatch(type, data);
    afterDispatch(type, data);
  },
  onStatus: (status, detail) => {
    update((s) => {
      s.status = status;
      s.statusDetail = detail ?? '';
    });
    afterStatus(status);
  },
  presence,
});
bindGateway(gateway);
startDevice(gateway);
gateway.start();

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
    e.preventDefault();
    // The switcher loads on demand: it opens once it is there (a failed load is tried again as it renders).
    void QuickSwitcher.load()
      .catch(() => undefined)
      .then(() =>
        update((s) => {
          s.modal = s.modal === 'switcher' ? null : 'switcher';
        }),
      );
  } else if (e.key === 'Escape') {
    update((s) => {
      if (s.dialog) s.dialog = null;
      else if (s.dmDialog) s.dmDialog = null;
      else if (s.profile) s.profile = null;
      else if (s.modal) s.modal = null;
      else if (s.drawer) s.drawer = null;
      else if (s.editing) s.editing = null;
      else if (s.replyTo) s.replyTo = null;
      else if (s.panel === 'search' || s.panel === 'pins' || s.panel === 'threads') s.panel = defaultPanel();
    });
  }
});

window.addEventListener('popstate', () => {
  const match = /^\/channels\/[^/]+\/(\d+)/.exec(window.location.pathname);
  if (match) openChannel(match[1], false);
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.activeChannel) markRead(state.activeChannel);
});

render(<App />, document.getElementById('app')!);
