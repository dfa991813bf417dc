"""A discord.py bot meets the space's own expressions (issue 18), driven by tests/it/bot_expressions.rs.

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... python dpy_emoji_bot.py
It lists the space's custom emoji and stickers (the GUILD_CREATE cache and REST), downloads an emoji's
picture from its URL, reacts with a custom emoji to the message "react here", makes an emoji of its own
(and sees the GUILD_EMOJIS_UPDATE for it), sends a sticker, and reads a voice message. One JSON object per
line per step.
"""

import asyncio
import base64
import json
import os
import sys

import discord
import yarl

BASE = os.environ["SPOT_URL"].rstrip("/")
discord.http.Route.BASE = BASE + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(BASE.replace("http", "ws", 1) + "/gateway")
discord.asset.Asset.BASE = BASE  # where emoji and sticker pictures are, as Discord's CDN for Discord

# A 2x2 red PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4nGP4z8DwH4QZYAwAR8oH+WdZbrcAAAAASUVORK5CYII=")


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


intents = discord.Intents.default()
intents.message_content = True
intents.emojis_and_stickers = True
client = discord.Client(intents=intents)
updated = asyncio.Event()


@client.event
async def on_guild_emojis_update(guild, before, after):
    if any(e.name == "dpy_made" for e in after):
        updated.set()


@client.event
async def on_ready():
    try:
        await run()
    except Exception as error:
        report("error", repr(error))
    await client.close()


async def run():
    guild = client.guilds[0]
    cached = sorted(e.name for e in guild.emojis)
    fetched = sorted(e.name for e in await guild.fetch_emojis())
    party = discord.utils.get(guild.emojis, name="party")
    picture = await party.read()
    channel = discord.utils.get(guild.text_channels, name="general")
    target = None
    async for message in channel.history(limit=20):
        if message.content == "react here":
            target = message
    await target.add_reaction(party)
    made = await guild.create_custom_emoji(name="dpy_made", image=PNG)
    await asyncio.wait_for(updated.wait(), 15)
    stickers = [s.name for s in guild.stickers]
    sticker = guild.stickers[0]
    sent = await channel.send(stickers=[sticker])
    sticker_picture = await sent.stickers[0].read()
    voice = None
    async for message in channel.history(limit=20):
        if message.flags.voice:
            voice = message
    report("done", {
        "cached": cached, "fetched": fetched, "picture_png": picture[:4] == b"\x89PNG",
        "reacted": str(target.id), "made": str(made.id), "made_url": made.url.startswith(BASE),
        "stickers": stickers, "sent_sticker": [s.name for s in sent.stickers],
        "sticker_picture": len(sticker_picture) > 0,
        "voice_duration": voice.attachments[0].duration if voice else None,
        "voice_waveform": len(voice.attachments[0].waveform or b"") if voice else None,
    })


async def main():
    async with client:
        await asyncio.wait_for(client.start(os.environ["SPOT_BOT_TOKEN"]), 120)


try:
    asyncio.run(main())
except Exception as error:
    report("error", repr(error))
    sys.exit(1)
