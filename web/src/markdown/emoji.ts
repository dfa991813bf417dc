// Emoji shortcodes (`:smile:`) the markdown renderer and the reaction picker know. A small, common set: a
// full table would cost more bytes than the rest of the client.

export const EMOJI: Record<string, string> = {
  smile: '😄', grinning: '😀', joy: '😂', rofl: '🤣', slight_smile: '🙂', wink: '😉', blush: '😊',
  heart_eyes: '😍', kissing_heart: '😘', yum: '😋', stuck_out_tongue: '😛', thinking: '🤔', neutral_face: '😐',
  expressionless: '😑', unamused: '😒', roll_eyes: '🙄', grimacing: '😬', relieved: '😌', pensive: '😔',
  sleepy: '😪', sleeping: '😴', mask: '😷', nerd: '🤓', sunglasses: '😎', confused: '😕', worried: '😟',
  open_mouth: '😮', astonished: '😲', flushed: '😳', pleading_face: '🥺', cry: '😢', sob: '😭', scream: '😱',
  angry: '😠', rage: '😡', skull: '💀', poop: '💩', clown: '🤡', ghost: '👻', alien: '👽', robot: '🤖',
  smiley_cat: '😺', see_no_evil: '🙈', heart: '❤️', orange_heart: '🧡', yellow_heart: '💛', green_heart: '💚',
  blue_heart: '💙', purple_heart: '💜', black_heart: '🖤', broken_heart: '💔', sparkling_heart: '💖',
  hundred: '💯', boom: '💥', sparkles: '✨', star: '⭐', fire: '🔥', zap: '⚡', rainbow: '🌈', sunny: '☀️',
  cloud: '☁️', snowflake: '❄️', wave: '👋', ok_hand: '👌', thumbsup: '👍', '+1': '👍', thumbsdown: '👎',
  '-1': '👎', clap: '👏', raised_hands: '🙌', pray: '🙏', muscle: '💪', point_up: '☝️', v: '✌️',
  crossed_fingers: '🤞', eyes: '👀', brain: '🧠', tada: '🎉', confetti_ball: '🎊', gift: '🎁', balloon: '🎈',
  trophy: '🏆', medal: '🏅', soccer: '⚽', basketball: '🏀', video_game: '🎮', game_die: '🎲', dart: '🎯',
  musical_note: '🎵', notes: '🎶', headphones: '🎧', microphone: '🎤', guitar: '🎸', pizza: '🍕',
  hamburger: '🍔', fries: '🍟', taco: '🌮', sushi: '🍣', cake: '🍰', cookie: '🍪', coffee: '☕', tea: '🍵',
  beer: '🍺', beers: '🍻', wine_glass: '🍷', apple: '🍎', avocado: '🥑', dog: '🐶', cat: '🐱', fox: '🦊',
  bear: '🐻', panda_face: '🐼', frog: '🐸', monkey: '🐒', penguin: '🐧', unicorn: '🦄', bee: '🐝',
  rocket: '🚀', airplane: '✈️', car: '🚗', house: '🏠', computer: '💻', keyboard: '⌨️', phone: '📱',
  bulb: '💡', books: '📚', pencil: '✏️', memo: '📝', pushpin: '📌', link: '🔗', lock: '🔒', key: '🔑',
  bell: '🔔', warning: '⚠️', x: '❌', white_check_mark: '✅', heavy_check_mark: '✔️', question: '❓',
  exclamation: '❗', zzz: '💤', wastebasket: '🗑️', calendar: '📅', hourglass: '⌛', moneybag: '💰',
};

/** The reactions the quick picker offers first. */
export const QUICK_REACTIONS = [
  '👍', '❤️', '😂', '🎉', '😮', '😢', '🔥', '👀', '✅', '🙏', '💯', '🤔', '👎', '😍', '🚀', '👋',
  '😄', '😭', '🙌', '💀', '✨', '🍕', '☕', '🎮',
];
