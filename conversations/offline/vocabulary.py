"""The words the offline classifier knows: spelling variants folded to one form, and word families.

Kept apart from the rules so a reader can check the vocabulary at a glance and
add a misspelling without touching the logic. Variants are listed by hand
rather than matched by edit distance: "Sage Bakery" is one letter away from
"save", "Lumber Liquidators" one letter from "number", and a store name must
never be read as a command word.
"""

from __future__ import annotations


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Typed form → the form the rules match. Only unambiguous variants belong here.
CANONICAL_WORDS: dict[str, str] = {
    # save
    "sav": "save",
    "svae": "save",
    "sve": "save",
    "saev": "save",
    "savee": "save",
    "saave": "save",
    "savr": "save",
    "saved": "saved",
    "addd": "add",
    # remember
    "remeber": "remember",
    "rember": "remember",
    "remembr": "remember",
    "rmember": "remember",
    "remmeber": "remember",
    "remmber": "remember",
    "remeember": "remember",
    "rememebr": "remember",
    "memorize": "remember",
    "memorise": "remember",
    # number
    "nubmer": "number",
    "numbr": "number",
    "numer": "number",
    "nmber": "number",
    "numbe": "number",
    "numbre": "number",
    "mumber": "number",
    "nuber": "number",
    "numbet": "number",
    "numver": "number",
    "nunber": "number",
    "numberr": "number",
    "numbers": "number",
    "num": "number",
    "nr": "number",
    "digits": "number",
    # phone
    "phon": "phone",
    "fone": "phone",
    "phne": "phone",
    "phoen": "phone",
    "phonr": "phone",
    "hpone": "phone",
    "telephone": "phone",
    "tel": "phone",
    "cell": "phone",
    "mobile": "phone",
    "phones": "phone",
    # what
    "what's": "what",
    "whats": "what",
    "wats": "what",
    "wat": "what",
    "wat's": "what",
    "waht": "what",
    "waht's": "what",
    "whta": "what",
    "wht": "what",
    "wut": "what",
    "whut": "what",
    "watz": "what",
    "whatz": "what",
    "wuts": "what",
    "whatis": "what",
    # who
    "who's": "who",
    "whos": "who",
    "whoes": "whose",
    "whoose": "whose",
    # where
    "where's": "where",
    "wheres": "where",
    # please
    "pls": "please",
    "plz": "please",
    "pleas": "please",
    "plese": "please",
    "pleae": "please",
    "pleeze": "please",
    "pleeease": "please",
    "pleease": "please",
    # thanks
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "tnx": "thanks",
    "ty": "thanks",
    "tysm": "thanks",
    "thankyou": "thanks",
    "thank": "thanks",
    # goodbye
    "goodbye": "bye",
    "byebye": "bye",
    "byee": "bye",
    "byeee": "bye",
    "cya": "bye",
    "ciao": "bye",
    "ttyl": "bye",
    "farewell": "bye",
    # contractions written without the apostrophe
    "its": "it's",
    "thats": "that's",
    "im": "i'm",
    "dont": "don't",
    "didnt": "didn't",
    "lets": "let's",
    "u": "you",
    "n": "and",
    "ur": "your",
    "pn": "phone",
    "lookup": "look up",
    "nevermind": "never mind",
    "nvm": "never mind",
    "nm": "never mind",
}

# Verbs that ask to keep a store. "store" itself is ambiguous ("which store
# has ...") and counts only where a command starts.
SAVE_VERBS = frozenset({"save", "add", "remember", "record", "note", "keep", "jot", "put", "create", "log", "bookmark"})

# Words that can open a new request inside one message ("..., and what's the
# number for Target?"), so a clause boundary may sit before them.
CLAUSE_OPENERS = frozenset(
    SAVE_VERBS
    | {
        "what",
        "who",
        "whose",
        "which",
        "where",
        "how",
        "find",
        "look",
        "search",
        "get",
        "give",
        "tell",
        "show",
        "read",
        "just",
        "can",
        "could",
        "would",
        "please",
        "also",
        "then",
        "do",
        "did",
        "i",
        "i'd",
        "i'm",
        "is",
        "store",
        "thanks",
        "bye",
    }
)

# A message of nothing but these (plus a closing cue) ends the conversation.
CLOSING_WORDS = _word_set(
    "thanks you very much so cheers bye see ya later that's that is it all for now today i'm i am we're "
    "we are done finished good great nice have a day night evening weekend ok okay cool perfect awesome "
    "quit exit end close chat conversation session the this nothing else no more set take care that'll be "
    "will let's wrap up stop here everything your help log sign off out talk to soon got what needed need "
    "and oh alright right yes yeah yep fine please nope nah no appreciate it ttyl cheers one mate goodnight night "
    "nite actually nothing brilliant lovely ace me ta ra tara cheerio laters"
)

# Replies that say nothing on their own: the bot must ask what is meant.
VAGUE_WORDS = _word_set(
    "hmm hm hmmm um umm uh uhh er ok okay k yes yeah yep yup sure no nope nah what huh idk maybe well so "
    "and the usual same again that this one it whatever something thing stuff please thanks hi hello hey "
    "yo hiya howdy there morning good afternoon evening as before like last time you know i don't not "
    "help oh ah wait test testing let me think check see"
)

# Words that stand in for a store without naming one ("save it", "what's its number").
PRONOUNS = _word_set(
    "it it's this that them these those one both him her me my mine you your yours its their everything "
    "anything something all everyone everybody someone somebody there"
)

# Words for "a store" in general: "add a store" names none.
GENERIC_STORE_WORDS = _word_set("store stores shop shops place places business number numbers phone contact entry new")

# Topics this bot does not cover. A message with one of these and no store request is off-scope.
OFF_SCOPE_TOPICS = _word_set(
    "weather forecast temperature rain snow sunny poem poetry haiku limerick joke jokes story stories "
    "song lyrics sing recipe cook bake game score won win match playoffs superbowl football soccer "
    "basketball baseball hockey nba nfl news headlines president election politics capital country "
    "translate translation spanish french math calculate equation homework essay code python javascript "
    "program function movie movies film netflix stock stocks bitcoin crypto price meaning life universe "
    "philosophy feel feeling love girlfriend boyfriend date time today tomorrow yesterday birthday "
    "horoscope zodiac capitals history explain summarize summary email letter draw picture image paint "
    "advice diet exercise workout flight flights hotel vacation trip directions traffic born tallest "
    "biggest fastest planet moon sun sky ocean dinosaurs chess trivia riddle fact facts who why tell "
    "opinion think bored lonely sad happy name yourself human robot ai alive "
    # what a general assistant is asked about: money, plans, devices, schedules
    "population rate interest balance credit pin password taxes tax w2 salary paycheck insurance loan mortgage "
    "budget music song songs playlist alarm timer reminder reminders calendar meeting meetings appointment "
    "directions distance calories alerts alert plan dice coin account taxi cab uber lyft ride "
    "recommend recommendation recommendations suggest suggestion lottery lotto powerball song songs chart"
)

# Words that make a span a sentence rather than a store's name ("this app is neat", "do you want to save ...").
SENTENCE_WORDS = _word_set(
    "i i'm i'd i've you we they he she am is are was were be been being do does did don't doesn't didn't "
    "have has had want wanna need needs should shall must might may can't won't cannot gonna going if because "
    "remove delete erase change update edit rename fix save add remember find search look show tell give let "
    "know think mean meant said say forgot forget remind"
)

# What people add around a number they are fixing ("ugh sorry", "missed a digit", "lol that was the zip code"):
# with one of these, the words beside the number are an aside, not a store's name.
ASIDE_WORDS = _word_set(
    "ugh argh oops whoops sorry lol haha hah heh my bad typo typos missed missing digit digits mix mixed up wrong "
    "mistake fat finger fingers zip code postcode postal thx thanks ty here go right correct correction meant "
    "hmm hm um uh let me check see always again oh ah ok okay yes yep yeah sure there you end part last btw "
    "real actual full proper number is the one that's it's its"
)
