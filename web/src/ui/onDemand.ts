// The UI loaded on demand (`lazy.tsx`): seldom-opened screens, in one chunk rather than one each, because every
// separately loaded module splits what it shares with the rest of the app into more first-load chunks.

export { AppsMenu } from './AppsMenu';
export { CommandForm } from './CommandOptions';
export { CommandPicker } from './CommandPicker';
export { BotForm } from './ModalDialog';
export { Dialogs } from './Dialogs';
export { DmDialogs } from './DmDialogs';
export { EmojiPicker } from './EmojiPicker';
export { EmojiSuggest } from './EmojiSuggest';
export { InviteDialog } from './InviteDialog';
export { MessageSheet } from './MessageSheet';
export { PinsPanel, SearchPanel, ThreadsPanel } from './Panels';
export { ProfileCard } from './ProfileCard';
export { QuickSwitcher } from './QuickSwitcher';
export { Settings } from './Settings';
export { StickerPicker } from './StickerPicker';
export { ThreadView } from './ThreadView';
export { LayoutButton, Stage, VoiceRoom } from './VoiceRoom';
export { VoiceMessage } from './VoiceMessage';
export { VoiceRecorder } from './VoiceRecorder';
