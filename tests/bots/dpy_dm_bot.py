"""A discord.py bot exchanging direct messages with a person, driven by tests/it/bot_dms.rs.

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... SPOT_PEER_ID=<the person's id> python dpy_dm_bot.py
The bot asks for no MESSAGE_CONTENT intent: in DMs Discord delivers the content anyway, and so must spot.
Prints one JSON object per line for each step.
"""

import asyncio
import json
import os
import sys

import discord
import yarl

BASE = os.environ["SPOT_URL"].rstrip("/")
discord.http.Route.BASE = BASE + "/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(BASE.replace("http", "ws", 1) + "/gateway")
PEER = int(os.environ["SPOT_PEER_ID"])


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


client = discord.Client(intents=discord.Intents.default())  # dm_messages on, message_content off
done = asyncio.Event()


@client.event
async def on_ready():
    try:
        person = await client.fetch_user(PEER)
        sent = await person.send("hello from discord.py")  # POST /users/@me/channels, then the message
        report("sent", {"channel": str(sent.channel.id), "dm": isinstance(sent.channel, discord.DMChannel),
                        "recipient": str(person.dm_channel.recipient.id) if person.dm_channel else None})
    except Exception as error:
        report("error", repr(error))
        done.set()


@client.event
async def on_message(message):
    if message.author.id != PEER:
        return
    try:
        report("received", {"content": message.content, "dm": isinstance(message.channel, discord.DMChannel),
                            "guild": message.guild is not None, "channel": str(message.channel.id)})
        await message.add_reaction("\N{THUMBS UP SIGN}")
        await message.channel.send(f"got it: {message.content}")
        history = [m.content async for m in message.channel.history(limit=5)]
        report("replied", {"history": history})
    except Exception as error:
        report("error", repr(error))
    done.set()


async def main():
    async with client:
        runner = asyncio.create_task(client.start(os.environ["SPOT_BOT_TOKEN"]))
        await asyncio.wait_for(done.wait(), 120)
        await client.close()
        await runner


try:
    asyncio.run(main())
except Exception as error:  # reported, not swallowed: the test fails on it
    report("error", repr(error))
    sys.exit(1)
