// A discord.js bot meets the space's own expressions (issue 18), driven by tests/it/bot_expressions.rs.
// Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... node djs_emoji_bot.js
// It lists the space's custom emoji and stickers (cache and REST), downloads an emoji's picture from the URL
// discord.js builds, reacts with a custom emoji to the message "react here", makes an emoji of its own (and
// sees the emoji-create event for it), and sends a sticker. One JSON object per line per step.
'use strict';

const { Client, Events, GatewayIntentBits } = require('discord.js');

const base = process.env.SPOT_URL.replace(/\/$/, '');
const report = (key, value = null) => process.stdout.write(JSON.stringify({ [key]: value }) + '\n');
// A 2x2 red PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4nGP4z8DwH4QZYAwAR8oH+WdZbrcAAAAASUVORK5CYII=',
  'base64',
);

const client = new Client({
  intents: [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildExpressions,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.GuildMessageReactions,
    GatewayIntentBits.MessageContent,
  ],
  rest: { api: `${base}/api`, cdn: base },
});

async function run() {
  const guild = client.guilds.cache.first();
  const cached = [...guild.emojis.cache.values()].map((e) => e.name).sort();
  const fetched = [...(await guild.emojis.fetch()).values()].map((e) => e.name).sort();
  const party = guild.emojis.cache.find((e) => e.name === 'party');
  const picture = Buffer.from(await (await fetch(party.imageURL())).arrayBuffer());
  const channel = guild.channels.cache.find((c) => c.name === 'general');
  const messages = await channel.messages.fetch({ limit: 20 });
  const target = messages.find((m) => m.content === 'react here');
  await target.react(party);
  const created = new Promise((resolve) => {
    client.on(Events.GuildEmojiCreate, (emoji) => {
      if (emoji.name === 'djs_made') resolve(emoji);
    });
  });
  const made = await guild.emojis.create({ attachment: PNG, name: 'djs_made' });
  const seen = await Promise.race([created, new Promise((_, no) => setTimeout(() => no(new Error('no emoji event')), 15000))]);
  const stickers = [...(await guild.stickers.fetch()).values()];
  const sent = await channel.send({ stickers: [stickers[0].id] });
  const stickerPicture = await fetch(sent.stickers.first().url);
  report('done', {
    cached,
    fetched,
    picture_png: picture.subarray(0, 4).toString('latin1') === '\x89PNG',
    reacted: target.id,
    made: made.id,
    seen: seen.id,
    stickers: stickers.map((s) => s.name),
    sent_sticker: [...sent.stickers.values()].map((s) => s.name),
    sticker_picture: stickerPicture.status,
  });
}

client.once(Events.ClientReady, async () => {
  try {
    await run();
  } catch (error) {
    report('error', String(error && error.stack ? error.stack : error));
  }
  await client.destroy();
});

client.login(process.env.SPOT_BOT_TOKEN).catch((error) => {
  report('error', String(error));
  process.exit(1);
});
