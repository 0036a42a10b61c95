"""The phrasings the offline classifier recognises, as patterns over a message's folded text.

Patterns run on `Span.canon`: lower-case words with spelling variants folded
(see vocabulary.py), one space between tokens, phone numbers written
`PHONE` / `BADPHONE`, a possessive split off as its own `'s` token. The
`LEAD_*` / `TRAIL_*` patterns each match one unit of filler at the start or
end of a span; `Span.strip` peels units until none is left, so "please
remember Joe's Pizza at" comes down to "Joe's Pizza".

Patterns that need the raw text (tool-call syntax, fake "SYSTEM:" lines,
e-mail addresses) run on the lower-cased message instead.
"""

from __future__ import annotations

import re

# One punctuation mark or emoji; "&", "+", "@", "#" and "$" can be part of a name ("AT&T", "#1 Chinese").
_MARK = r"[^\w\s&+@#$']"


def _leading(*units: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(units)})(?: |$)")


def _trailing(*units: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^| )(?:{'|'.join(units)})$")


_POLITE_UNITS = (
    _MARK,
    r"please",
    r"kindly",
    r"hey",
    r"hi",
    r"hello",
    r"ok",
    r"okay",
    r"alright",
    r"so",
    r"um+",
    r"uh+",
    r"also",
    r"and",
    r"then",
    r"now",
    r"just",
    r"oh",
    r"yo",
    r"yes",
    r"yeah",
    r"sure",
    r"great",
    r"thanks",
    r"cool",
    r"bot",
    r"storebot",
    r"(?:can|could|would|will) you(?: please)?",
    r"(?:can|could|may) i",
    r"i (?:want|wanna|need|would like|'d like|d like)(?: you)?(?: to)?",
    r"i'd like(?: you)?(?: to)?",
    r"(?:want|need) to",
    r"let's",
    r"let me",
    r"go ahead and",
    r"help me",
    r"quick(?:ly)?",
    r"one more",
    r"another one",
)

# Said before a new value: "no, it's ...", "actually call it ...", "sorry, I meant ...".
_CORRECTION_UNITS = (
    r"no",
    r"nope",
    r"nah",
    r"actually",
    r"sorry",
    r"oops",
    r"wait",
    r"correction",
    r"i meant",
    r"i mean",
    r"meant",
    r"make (?:that|it)",
    r"change (?:that|it|the name|the number|the phone(?: number)?|its name|its number)(?: to)?",
    r"rename (?:it|that)(?: to)?",
    r"rename",
    r"should be",
    r"instead",
    r"not that",
    r"that's wrong",
    r"wrong number",
    r"typo",
    # "the number is wrong, it's ...", "I typed the name wrong: ..."
    r"(?:the |its |it's )?(?:number|phone(?: number)?|name) (?:is|was) (?:wrong|incorrect|off)",
    r"(?:i )?(?:typed|spelled|got|wrote|put|had) (?:the |its |it's )?(?:name|number|phone)"
    r" (?:wrong|incorrectly|wrongly)",
    r"(?:it's |it is )?spelled",
    r"my (?:mistake|bad)",
    r"(?:that|the|this|its|it's) (?:number|phone(?: number)?|name) (?:'s|is|was) (?:wrong|incorrect|off|not right)",
    r"(?:number|phone(?: number)?|name) (?:'s|is|was) (?:wrong|incorrect|off|not right)",
    r"it should (?:be|have been)",
)

# "call it Costco", "the name is Costco": the user is naming the store being saved.
_NAMING_PHRASES = (
    r"it's(?: called| named)?",
    r"it is(?: called| named)?",
    r"(?:call|name) it",
    r"(?:the )?(?:store(?: name)?|name)(?: is| 's)?",
    r"(?:store|shop|place) called",
    r"that's",
)
# Also stand before a name, but say nothing on their own ("for Costco", "as Costco").
_NAMING_UNITS = (*_NAMING_PHRASES, r"that is", r"this is", r"for", r"under", r"as", r"called", r"named")

# "actually call it X", "rename it to X", "change the name to X": a new name for a store already saved.
# Sounds and asides before a correction ("ugh autocorrect, it's ..."): not part of what follows.
_HESITATION = r"hmm+|um+|uh+|oh|ah|ugh|argh|whoops|autocorrect|damn autocorrect"

RENAME = re.compile(
    rf"^(?:(?:{'|'.join(_CORRECTION_UNITS)}|{_HESITATION}|{_MARK}) )*"
    r"(?:(?:call|name) (?:it|that|this)(?! (?:a day|a night|quits)\b)"
    r"|rename(?: .+?)? (?:to|as)|rename(?: it| that| this)?"
    rf"|(?:i )?(?:typed|spelled|got|wrote|put|had) (?:the |its |it's )?name (?:wrong|incorrectly|wrongly)(?: {_MARK})?"
    r"|change (?:the|its|it's|the store 's|the store) name(?: to)?"
    r"|(?:the |its |it's )?(?:new |store |real |correct |right )?name (?:should be|should have been|is now|is))(?: |$)"
)

# "I meant X", "oops, it should be X", "wait, it's called X": a correction word, then the new name.
RENAME_AFTER_CORRECTION = re.compile(
    rf"^(?:(?:{'|'.join(_CORRECTION_UNITS)}|{_HESITATION}|{_MARK}) )*"
    r"(?:(?:i meant|i mean|meant|make (?:that|it)|(?:it's |it is )?spelled)(?: to say)?"
    r"|(?:it )?should (?:be|have been)(?: called| named)?"
    rf"|(?:correction|typo|oops|sorry) {_MARK}"
    rf"|(?:i )?(?:misspelled|mistyped|misspelt|mistyped) (?:it|that|the name)(?: {_MARK})?"
    rf"|(?:{'|'.join(_CORRECTION_UNITS)}|{_HESITATION}) (?:{_MARK} )?(?:it's|it is|it should be|it should have been"
    r"|it was)"
    r"(?: called| named)?)(?: |$)"
)

SAVE_COMMAND = re.compile(
    r"^(?:save|add|remember|record|note|keep|jot|put|pop|create|log|bookmark|store)\b(?! (?:is|has|off|out)\b)"
)

CORRECTION = re.compile(rf"^(?:{'|'.join(_CORRECTION_UNITS)})\b|\b(?:actually|instead|i meant|typo|correction)\b")
NAMING = re.compile(rf"^(?:(?:{'|'.join(_CORRECTION_UNITS)}|{_MARK}) )*(?:{'|'.join(_NAMING_PHRASES)})\b")

LEAD_POLITE = _leading(*_POLITE_UNITS)

_SAVE_VERB_UNITS = (
    r"save",
    r"add",
    r"remember",
    r"record",
    r"note(?: down)?",
    r"keep",
    r"jot(?: down)?",
    r"put(?: down| in)?",
    r"create",
    r"pop",
    r"log",
    r"bookmark",
    r"store",
)
# What may stand between a save command and the name: "save a new store called ...", "add the number for ...".
_OBJECT_UNITS = (
    *_NAMING_UNITS,
    r"down",
    r"a",
    r"an",
    r"the",
    r"new",
    r"another",
    r"this",
    r"that",
    r"(?:phone )?number",
    r"'s",
    r"phone",
    r"contact",
    r"entry",
    r"details",
    r"of",
    r"is",
    r"to",
    r"with",
    r"in",
    r"here",
    r"here's",
    r"it",
    r"them",
    r"these",
    r"both",
    r"my",
    r"(?:the )?following",
    r"one",
    r"(?:\d+|two|three|four|five|some|a few|a couple of|these|my)(?: new)? (?:stores|numbers|places|shops|contacts)",
)

# Before a store name where no save command opens the text: politeness, corrections, command and object words.
LEAD_NAME = _leading(*_POLITE_UNITS, *_CORRECTION_UNITS, *_SAVE_VERB_UNITS, *_OBJECT_UNITS, r"at")

# Everything up to a save command is filler ("hey, can you save ..."); after it only the object words are,
# so a name that opens with "Quick", "Just" or "Great" keeps its first word.
SAVE_PREAMBLE = re.compile(
    rf"^(?:(?:{'|'.join((*_POLITE_UNITS, *_CORRECTION_UNITS))}) )*(?:{'|'.join(_SAVE_VERB_UNITS)})(?: |$)"
)
LEAD_OBJECT = _leading(_MARK, r"please", r"um+", r"uh+", *_OBJECT_UNITS)

# After a store name: "at", "'s number is", "to my list", ", thanks", emoji.
TRAIL_NAME = _trailing(
    _MARK,
    r"'s (?:phone number|number|phone)(?: is)?",
    r"(?:the |its |their )?(?:phone )?number 's",
    r"(?:phone )?number(?: is)?",
    r"phone(?: is)?",
    r"at",
    r"is",
    r"are",
    r"on",
    r"with",
    r"as",
    r"down",
    r"and",
    r"or",
    r"the",
    r"a",
    r"their",
    r"its",
    r"it's",
    r"whose",
    r"which",
    r"number",
    r"please",
    r"thanks",
    r"thanks you",
    r"for me",
    r"too",
    r"as well",
    r"for now",
    r"instead",
    r"real quick",
    r"asap",
    r"i guess",
    r"i think",
    r"i suppose",
    r"maybe",
    r"probably",
    r"(?:to|in|into|on|onto) (?:my|the) (?:list|directory|contacts|phonebook|phone book|address book|stores)",
    r"(?:save|add|remember|keep|store) (?:it|that|this|them|both)",
    r"in there",
    r"with an? [a-z]",  # "Marc's Hardware, with a c": how it is spelled
)

# "number for X", "phone of X": everything after is the store being looked up.
LOOKUP_ANCHOR = re.compile(r"\b(?:phone|number|contact|details|info)(?: number| no(?: \.)?)? (?:for|of|to|at|from|4) ")

# Words that ask for a stored number when no number is in the message.
LOOKUP_CUE = re.compile(
    r"\b(?:number|phone|(?<!^i )call(?! (?:it|you|me)\b)|reach|contact|dial|ring|look up|find|search|pull up|get me"
    r"|do i have|did i save"
    r"|have i saved|is there)\b"
)

# Words that ask for a number outright ("Costco's number", "call Joe's"), unlike "find" or "do I have".
NUMBER_CUE = re.compile(r"\b(?:number|phone|contact|dial|ring|reach)\b|^(?:(?:to|please) )?call\b(?! (?:you|me|it)\b)")

LEAD_LOOKUP = _leading(
    *_POLITE_UNITS,
    r"what(?: is| was| are)?",
    r"where(?: is)?",
    r"how (?:do|can|would|should) i",
    r"(?:can|could|may) i (?:please )?(?:have|get|grab|see)",
    r"have",
    r"grab",
    r"gimme",
    r"lemme (?:have|get|see)",
    r"(?:do |did )?i (?:have|saved|got|stored)",
    r"need",
    r"is(?: there)?",
    r"was",
    r"do(?: i| you)?(?: have| know)?",
    r"did i(?: save)?",
    r"have i(?: saved| got)?",
    r"i",
    r"get",
    r"give",
    r"tell",
    r"find",
    r"look up",
    r"search(?: for)?",
    r"show",
    r"pull up",
    r"fetch",
    r"read",
    r"retrieve",
    r"check",
    r"me",
    r"the",
    r"a",
    r"an",
    r"my",
    r"our",
    r"saved",
    r"(?:phone )?number",
    r"phone",
    r"contact",
    r"details",
    r"info",
    r"for",
    r"of",
    r"to",
    r"call",
    r"reach",
    r"dial",
    r"ring",
    r"text",
    r"again",
)

LEAD_QUERY = _leading(_MARK, r"the", r"my", r"a", r"an", r"store", r"place")

TRAIL_QUERY = _trailing(
    _MARK,
    r"'s (?:phone number|number|phone)",
    r"(?:phone )?number(?: again)?",
    r"phone",
    r"please",
    r"thanks",
    r"thanks you",
    r"again",
    r"real quick",
    r"quickly",
    r"asap",
    r"now",
    r"is",
    r"was",
    r"saved",
    r"stored",
    r"at",
    r"for me",
    r"for",
    r"(?:in|on) (?:my|the) (?:list|directory|contacts|phonebook|phone book|address book|stores)",
    r"do i have",
    r"(?:did|have) i saved?",
    r"(?:the one )?(?:that )?i saved",
    r"the one",
)

# A number in the message and one of these: the user wants to know whose it is.
WHOSE_NUMBER = re.compile(
    r"\b(?:whose|who|which|belong\w*|ending|ends|end|last|starting|starts|start|begins|begin|beginning"
    r"|contain\w*|owns?|look up|find|search|check|identify|reverse|what (?:store|shop|place|business|company|name)"
    r"|do i have|did i save|have i saved|is there|saved under|listed|any store|missed call"
    r"|call(?:ed|ing)? (?:me )?from)\b"
    r"|^(?:is|was|are|do|does|did|have|has)\b"
)

# Ways to drop the current request. Matched at the start of the first clause.
CANCEL = re.compile(
    r"^(?:(?:oh|ok|okay|no|nah|nope|um+|uh+|actually|wait|please|just|sorry|hmm+|ugh|oops|[^\w\s]) )*"
    r"(?:never mind|cancel(?: that| it| this| the save| everything)?|forget (?:about )?(?:it|that|this)"
    r"|scratch that|don't (?:save|bother|worry)(?: it| that| about it)?|do not save(?: it| that)?|abort"
    r"|stop|skip (?:it|that)|leave it|don't)(?: |$)"
)

# Said to end the conversation. Only counts when every other word is a closing word too.
FAREWELL = re.compile(
    r"\b(?:bye|that's (?:all|it|everything)|that is (?:all|it)|that(?:'ll| will) be all|done|finished|quit|exit|end"
    r"|log (?:off|out)|sign (?:off|out)"
    r"|nothing else|no more|all set|good night|take care|see (?:you|ya)|later|talk soon|i'm good|we're good"
    r"|wrap (?:it )?up|stop here|got what i needed|have a (?:good|nice|great) (?:day|night|evening|one|weekend)"
    r"|ttyl|cheers|appreciate it|goodnight|good ?nite|night night|have a good one|cheerio|laters|ta ?- ?ra|tara"
    r"|ta ta|that's me done|that's me)\b"
)

HELP = re.compile(
    r"\b(?:help|what can you do|what do you do|how does this work|how do (?:i|you) use|what are you for|commands"
    r"|(?:how (?:do|can)|can|could|may) i (?:save|add|store|look up|find)"
    r"|how do i (?:set|change|reset|update) my (?:passphrase|password)|settings|instructions for use)\b"
)

# "Can I save more than one store?", "how do I add a store?": a question about saving, not a save.
SAVE_QUESTION = re.compile(
    r"^(?:(?:can|could|may) i|how (?:do|can|would|should) i|is it possible to|do you let me) "
    r"(?:save|add|remember|store|keep)\b"
)

LIST_ALL = re.compile(r"\b(?:list|show|give|tell|read|send|export|print|dump)\b.*\b(?:all|every|everything|whole)\b")

QUESTION_WORDS = frozenset({"what", "who", "why", "when", "where", "how", "which", "can", "could", "would", "will"})

# Injection attempts, read from the lower-cased raw text: classified by their real request, else off-scope.
INJECTION = re.compile(
    r"ignore\s+(?:(?:all|any|the|your|my|previous|prior|above|earlier|these|those|of|system)\s+)*"
    r"(?:instructions|rules|prompts?|directions|guidelines|constraints)"
    r"|disregard|forget\s+(?:(?:all|your|the|previous|prior)\s+)*(?:instructions|rules)"
    r"|system\s*prompt|(?:^|\n|\[|<)\s*(?:system|assistant|developer|admin|tool)\s*[:\]>]"
    r"|developer\s+mode|jailbreak|\byou\s+are\s+now\b|\bpretend\b|\bact\s+as\b|role-?play|new\s+instructions"
    r"|\boverride\b|admin\s+mode|\bsudo\b|god\s+mode|\bdebug\s+mode"
    r"|already\s+(?:gave|given|entered|provided|verified|typed|told\s+you|unlocked)|\bunlock"
    r"|passphrase\s+(?:is|was|has\s+been)\s+(?:verified|correct|accepted|ok|confirmed)|\bverified\b"
    r"|skip\s+the\s+passphrase|without\s+(?:a\s+|the\s+|my\s+)?passphrase|\bbypass"
    r"|(?:tell|give|show|reveal|print|leak|repeat|what\s+is|what's)\s+(?:me\s+)?(?:the\s+|my\s+|your\s+)?"
    r"(?:passphrase|password|secret|prompt|instructions)"
    r"|guessing\s+game|guess\s+(?:my|the)\s+pass|passphrase\s+hint|first\s+letter|starts\s+with\s+the\s+letter"
    r"|other\s+users?|another\s+user|all\s+users|every\s+user|everyone's|someone\s+else's|\buser\s*(?:id|#|\d)"
    r"|[\w.+-]+@[\w-]+\.\w+|\bdatabase\b|\bsql\b|select\s+\*|drop\s+table|\btools?\b|function\s+call"
    r"|\breveal\b|\bdump\b"
)

# Tool invocations and forged role markup typed into the chat: always off-scope, whatever they name.
FORGED_MARKUP = re.compile(
    r"\b(?:save_store|lookup_by_name|lookup_by_phone|terminate_conversation|[a-z]+_[a-z_]+)\s*\("
    r"|[{\[]\s*\"(?:tool|name|function|arguments|args|tool_name|action|role)\"\s*:"
    r"|[<\[]\s*/?\s*(?:system|assistant|developer|tool|function|instructions?|im_start)\w*\s*[>\]]"
)

# "numbers for Target and Safeway", "both of their numbers": a lookup of several stores.
SEVERAL_CUE = re.compile(r"\b(?:numbers|phones|phone numbers|both|each|all three|contacts|details)\b")
# "and also Lowe's", "Lowe's too": another store for the lookup before it.
ALSO_NAME = re.compile(r"^(?:and |also |plus |and also |what about |how about )+(?=\S)")

# A save command whose object is no store: "save the date", "remember to buy milk", "add 2 and 2", "save me time".
SAVE_NOT_A_STORE = re.compile(
    r"^(?:save|add|remember|store|keep|note|record|put|jot|log|bookmark|create) "
    r"(?:to \w+|the date\b|me (?:some |a lot of )?(?:time|money|a seat|a spot)\b"
    r"|\d+ (?:and|plus|\+|to|and then) \d+"
    r"|up (?:the|all|these|those)\b|an? (?:event|reminder|alarm|appointment|meeting|note|task|item)\b"
    r"|this (?:idea|thought|note|quote|recipe|link|for later)\b"
    r"|the (?:whales|planet|world|earth|bees|trees|children|day|environment|rainforest|turtles)\b"
    r"|\d+ ?(?:%|percent)|\$ ?\d+|(?:some|a few|more) (?:jokes|money|cash|points)\b|my (?:credit|debit|bank) card\b)"
)
# A question about the world, not the user's stores: "how many digits are in a phone number", "who invented ...".
WORLD_QUESTION = re.compile(
    r"^(?:how many|how much|who (?:invented|discovered|wrote|is the|was the)|what year|when (?:did|was|is the)"
    r"|why (?:do|does|is|are))\b(?!.*\b(?:saved|stored|my stores|my directory|have i)\b)"
)

# "new place", "another one", "one more store": a save with nothing known yet.
NEW_ENTRY = re.compile(
    r"^(?:(?:ok|okay|right|so|and|also|now|next|oh|um+|hmm+)\s)*(?:a |one )?(?:new|another|one more|1 more)"
    r"(?: (?:place|store|shop|contact|one|entry|number|business|spot))?(?: (?:to (?:save|add)|for you|please))?"
    r"(?: [^\w\s])*$"
)
# "new store: Green Leaf Market", "another place called Rosa's": a save of the store named after it.
NEW_ENTRY_NAMED = re.compile(
    r"^(?:a |one )?(?:new|another) (?:place|store|shop|contact|entry|one|business|spot)"
    r"(?: (?:called|named|is|for|to (?:save|add))| [^\w\s&'])+ (?=\S)"
)
# "what's its number?", "call it": the number of the store in hand.
ITS_NUMBER = re.compile(
    r"\b(?:its|it's|their|that one 's|this one 's) (?:phone )?(?:number|phone)\b"
    r"|\b(?:call|ring|dial) (?:it|them)(?: (?:please|now))?(?: [^\w\s])*$"
    r"|\b(?:number|phone) (?:for|of) (?:it|that|that one|them)\b|\blook (?:it|that) up\b"
)
# Small talk that greets rather than asks: a friendly question back, never an off-topic strike.
GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|morning)(?: there)?(?: [^\w\s])* )*"
    r"(?:how are (?:you|u|ya)(?: doing)?(?: today)?|how 's it going|how's it going|how is it going"
    r"|what's up|whats up|sup|how do you do"
    r"|nice to meet you|good (?:morning|afternoon|evening)|hi|hello|hey)(?: [^\w\s])*$"
)
# The user's own account, not a store: "how do I change my password", "delete my account".
ACCOUNT_SETTINGS = re.compile(
    r"\b(?:change|reset|update|set|delete|close|remove|cancel|forgot|forget|lost)\b.*\bmy "
    r"(?:password|passphrase|account|email|profile|login|settings|region)\b"
    r"|\bmy (?:password|passphrase|account|email|login)\b.*\b(?:change|reset|update|delete|close|forgot|lost)\b"
)
