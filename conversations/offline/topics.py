"""What a message is about when it is not a plain save or lookup: the directory, or something else.

Patterns over `Span.canon`, like phrases.py. They keep the offline reader
from acting on a look-alike: "find me a good recipe" is a search of the
world, not of the user's stores; "put carrots on my shopping list" saves
nothing here; "delete Target" asks for an edit the chat cannot make yet.
"""

from __future__ import annotations

import re

# Lists and records a general assistant keeps that are not this directory.
ELSEWHERE = re.compile(
    r"\b(?:calendar|playlist|cart|basket|wish ?list|reminders?|alarms?|timer|schedule|agenda|to ?do|to-do|tasks?"
    r"|shopping(?! (?:center|centre|mall|plaza|arcade))|grocery (?:list|run|order)|groceries|journal|diary|queue"
    r"|account|favou?rites"
    r"|notes|bank)\b"
)

# Where a search of the world looks: "near me", "around here" (the user's directory is not anywhere).
NEARBY = re.compile(
    r"\b(?:near me|nearby|around here|near here|close by|open late|open now|in town|in my area|around me|nearest"
    r"|closest)\b"
)
# A saved store's hours, address or website: details the directory does not keep (a question back, not a strike).
STORE_DETAILS = re.compile(
    r"\b(?:hours|opening times|open|close|closes|closing|address|located|location|website|web site|email|menu)\b"
)
# Words that keep a question about finding something on the user's own directory.
OWN_DIRECTORY = re.compile(r"\b(?:store|stores|saved|directory|my|contact|contacts)\b")
# A search of the world: "find a plumber near me", "search for cheap flights", "is there a pharmacy open late".
GENERAL_SEARCH = re.compile(
    r"\b(?:find|search(?: for)?|look(?: up| for)|get|show|recommend|suggest|know|do i have|have i got)(?: me| us)?"
    r" (?:a|an|any|some|cheap|cheapest|good|nice|best|nearest|closest|local|nearby|top|great|more|other)\b"
    r"|\b(?:near me|nearby|around here|near here|close by|open late|open now|in town|in my area|around me)\b"
    r"|\bfind out\b|\b(?:is|are) there\b(?!.*\b(?:saved|stored|in my|on my)\b)"
    r"|\blook up (?:what|how|why|when|who)\b|\bwhat .+ means\b|\b(?:definition|meaning) of\b"
)

# "routing number", "pin number", "the number of states": a number that is not a phone number.
NOT_A_PHONE_NUMBER = re.compile(
    r"\b(?:routing|account|pin|card|credit|tracking|order|confirmation|flight|serial|model|part|policy|member"
    r"|membership|case|reference|ticket|security|ssn|license|licence|registration|vin|lucky|room|seat|gate|table"
    r"|street|house|apartment|zip|postal|invoice|cheque|claim|passport|id|version|page|lottery|prime)"
    r" number\b"
    r"|\bnumber of (?!(?:the|my|that|this|a|an|our|your)\b)(?:[a-z]+s|people|children)\b"
    r"|\bnumber (?:one|1|two|three) (?:song|hit|album|movie|film|show|team|seed|pick)\b|\bnumbers should i pick\b"
    # "my phone", "my number": the user's own, not a store's.
    r"|\bmy (?:phone|number)(?: number)?\b(?! (?:for|of)\b)"
)

# "change Safeway's number to ...", "remove Target", "rename Tony's to ...": an edit of a saved store.
EDIT_REQUEST = re.compile(
    r"^(?:change|update|edit|modify|fix|correct|rename|remove|delete|erase|drop|get rid of|take out|take off|replace)"
    r" (?P<target>.+)$"
)
# ... unless it edits the store in hand ("change it to ...", "rename it to ...", "change the name to ..."):
# that is a correction of what is being saved or was just saved.
EDITS_THE_STORE_IN_HAND = re.compile(
    r"^(?:it|it's|its|that|this|them|the (?:name|number|phone|store 's|store name)(?! (?:for|of)\b)|my mind)\b"
)
TRAIL_EDIT_TARGET = re.compile(
    r"(?:^| )(?:(?:from|in|on|off|out of) (?:my|the) (?:list|directory|contacts|phone ?book|address book|stores)"
    r"|'s (?:phone number|number|phone|name)(?: to .*)?|(?:phone )?number(?: to .*)?|to .*|[^\w\s&'])$"
)
MENTIONS_A_FIELD = re.compile(r"\b(?:number|phone|name|PHONE|BADPHONE)\b")

# Unsure replies: the user is thinking, not asking for something else.
UNSURE = re.compile(
    r"\b(?:not sure|unsure|don't know|dunno|idk|no idea|can't remember|don't remember|forgot what|which one"
    r"|the other one|let me think|hmm+|hold on|hang on|one sec|one second|just a sec|give me a (?:sec|second|minute)"
    r"|looking for it|let me (?:find|look|check))\b"
)

_KIND_WORDS = r"(?:neat|nice|cool|great|awesome|useful|helpful|handy|amazing|brilliant|clever|smart|good|love)"
# Kind words about the bot or the app: not a request, not off-topic either.
PRAISE = re.compile(
    r"\b(?:app|bot|storebot|you|you're|this|it)(?: \w+)? (?:(?:is|are|was|'s) )?(?:(?:so|really|very|pretty|super) )?"
    rf"{_KIND_WORDS}\b"
    rf"|^(?:i )?(?:(?:so|really|very|just|absolutely) )?{_KIND_WORDS} (?:(?:this|the|little|your) )*"
    r"(?:app|bot|storebot)\b"
)

# The directory's own words: a message with one of these and no readable request is on topic, so it gets a question.
ON_TOPIC = re.compile(
    r"\b(?:save|saved|saving|add|remember|stores|directory|look up|contacts?|rename|delete|remove)\b"
    r"|\b(?<!your )(?<!your phone )(?:phone )?number\b(?! of\b)"
)
