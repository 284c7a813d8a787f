"""The cue phrases behind each behaviour, as regular-expression sources over a normalised reply.

Every entry matches text that ``trainer.coding.text.normalise`` produced: lowercase, contractions
spelled out ("you are", "do not", "i am", "it is"), chat spellings fixed. Entries are general
phrasings of each behaviour as the listening guide describes it, not sentences from any data set.
"""

from __future__ import annotations


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list."""
    return text.split()


_ADV = r"(?:really|so|very|just|truly|completely|totally|pretty|quite|kind of|a little|a bit|such)"
FEELINGS: frozenset[str] = frozenset(
    _wordlist(
        """
        afraid alone angry annoyed anxious ashamed awful bad betrayed bitter blamed bored broken burnt
        burned crushed defeated depressed desperate devastated disappointed discouraged disgusted
        dismissed disrespected distressed down drained embarrassed empty exhausted excluded fed
        frightened frustrated furious guilty heartbroken helpless hopeless humiliated hurt ignored
        insecure invisible irritated isolated jealous left lonely lost mad miserable nervous neglected
        overwhelmed panicked powerless rejected resentful sad scared shaken shocked sick sorry stressed
        stuck taken terrified tired torn trapped uncomfortable unappreciated unhappy unheard unimportant
        unloved unsafe unseen unsupported unsure upset used useless vulnerable worried worthless wounded
        confused conflicted pressured pressure fear anger stress anxiety sadness grief pain shame guilt
        loneliness frustration worry hurting struggling grieving happy glad relieved excited proud
        hopeful grateful thrilled delighted elated ecstatic chuffed giddy gutted buzzing stoked pleased
        shaky livid fuming reeling rattled
        """
    )
)
_FEELING = "(?:" + "|".join(sorted(FEELINGS, key=len, reverse=True)) + ")"
# Feelings and states said in a phrase ("over the moon", "at the end of your rope").
_STATE = (
    r"(?:over the moon|on cloud nine|on top of the world|walking on air|beside yourself|at the end of your"
    r" (?:rope|tether)|at your wits end|fed up|sick of|tired of|worn out|burnt out|burned out|stressed out|"
    r"freaked out|wound up|torn up|cut up|in pieces|in bits|all over the place|on edge|blown away|"
    r"knocked sideways|bursting|shaking|grinning|floored|heartsick|sick with worry|scared stiff)"
)
_HARD = (
    r"(?:hard|difficult|tough|rough|awful|terrible|horrible|painful|frustrating|stressful|scary|"
    r"overwhelming|upsetting|heartbreaking|exhausting|lonely|isolating|draining|unfair|sad|confusing|"
    r"worrying|challenging|devastating|hurtful|a lot|so much|heavy|annoying|infuriating|maddening|"
    r"disappointing|discouraging|demoralizing|humiliating|embarrassing|unsettling|nerve-wracking|"
    r"nerve wracking|painful|lonely|sad|tiring|upsetting)"
)
_SECOND = r"(?:you|your|yourself)"
# "everyone gets nervous sometimes", "every family fights at christmas": a feeling made ordinary.
_EVERYONE_DOES = (
    r"(?:(?:really|just|all|also|probably|sometimes|usually|definitely|kind of|totally) )?(?:feels|feel|"
    r"gets|get|goes through|go through|fights|fight|argues|argue|freezes|freeze|struggles|struggle|panics|"
    r"panic|messes up|screws up|fails|forgets) (?:\w+ )?(?:that way|like that|like this|the same|sometimes|"
    r"at first|at some point|at christmas|now and then|from time to time)\b"
)
# A modal that is not part of a question about what would help ("what would help?").
_MODALS = ("should", "could", "can", "might", "may", "will", "would")
_MODAL_UNASKED = "(?:" + "|".join(_MODALS) + ")" + "".join(
    f"(?<!{asker} {modal})" for asker in ("what", "how") for modal in _MODALS
)
# Words that may open a clause before the question itself: "so, um, what happened?"
LEAD_IN = (
    r"^(?:(?:and|so|but|well|okay|oh|hmm+|now|then|also|um+|uh+|er|like|yeah|yes|right|alright|i see|"
    r"mm+|mhm|mm-hmm|just|now|anyway)[\s,]+)*"
)

ADVICE_QUESTION: tuple[str, ...] = (
    LEAD_IN + r"(?:maybe |perhaps )?(?:have|had|did) you (?:ever )?(?:tried|try|considered|consider|contemp"
        r"lated|"
    r"thought (?:about|of)|think about|looked (?:into|at)|look into|reached out|reach out|checked (?:out|"
    r"into)|sought|explored|had (?:a|the) chance to|gotten (?:help|support)|seen a (?:doctor|therapist|"
    r"counselou?r))",
    LEAD_IN + r"(?:why|how come) (?:do not|not) (?:you|we)\b",
    LEAD_IN + r"(?:can not|could not|can|could) you (?:not )?just\b",
    LEAD_IN + r"why not\b",
    LEAD_IN + r"(?:what|how) about (?:if )?(?:you |we )?\w+ing\b",
    LEAD_IN + r"(?:what|how) about (?:you |we )?(?:try|ask|talk|call|get|go|take|make|look|find)",
    LEAD_IN + r"what if (?:you|we)\b",
    LEAD_IN + r"(?:maybe|perhaps) (?:you|try|it would|it might|consider)",
    LEAD_IN + r"(?:could|can|would|will) you (?:not )?(?:try|consider|maybe|perhaps|just|ask|talk(?! (?:mor"
        r"e|about|"
    r"to me|with me|a (?:bit|little)))|speak(?! (?:more|about))|reach|look|find|get|take|go|call|see if|"
    r"think about)\b",
    LEAD_IN + r"(?:would|could|might) it (?:help|be (?:a )?(?:good|better|worth|possible|helpful))",
    LEAD_IN + r"(?:is|would) it (?:possible|an option) (?:for you )?to\b",
    LEAD_IN + r"(?:do|would) you think (?:you|it) (?:could|should|might|would help|may)\b",
    LEAD_IN + r"(?:should not|should) you\b",
    LEAD_IN + r"(?:do|would) you (?:want to|like to) try\b",
    LEAD_IN + r"(?:is there|are there) (?:any ?(?:one|body)|someone|somebody) (?:you|who|that) "
    r"(?:can|could)\b",
)
# Question forms that are asked so as to be answered "yes" (leading) count as closed questions.
LEADING_QUESTION: tuple[str, ...] = (
    LEAD_IN + r"(?:do not|would not|would|do|could not) you (?:think|agree|say|feel like)\b",
    LEAD_IN + r"(?:is not|was not|are not|does not) (?:it|that|this|you)\b",
    LEAD_IN + r"are you (?:sure|certain|serious)\b",
    r"\b(?:right|correct|agreed|yes|no)\s*\?$",
)
OPEN_QUESTION: tuple[str, ...] = (
    LEAD_IN + r"(?:what|how|why|when|where|who|whom|whose|which|in what way|to what extent|how come)\b"
    r"(?! i am hearing| i hear| you are saying| you said| you (?:would|really) like| you want is)",
    LEAD_IN + r"(?:can|could|would|will) you (?:please )?(?:tell|say|share|describe|explain|talk|walk|give) "
    r"(?:me |us )?(?:a )?(?:more|about|what|how|why|when|where|who|through|a bit|a little|an example|some"
    r" examples)",
    LEAD_IN + r"(?:can|could|would) you (?:help me understand|say more|expand|elaborate)",
    LEAD_IN + r"(?:i am )?(?:curious|wondering) (?:what|how|why|about)",
    LEAD_IN + r"tell me\b",
)
OPEN_INVITATION: tuple[str, ...] = (
    r"\btell me (?:a (?:little |tiny )?(?:bit )?)?(?:more|about|what|how|why|when|where|who|everything|"
    r"something|anything)\b",
    r"\b(?:help me understand|say more about|talk me through|walk me through)\b",
    r"\bi (?:would|d) (?:love|like) to hear (?:more|about|what|how)\b",
    r"\bi am (?:curious|wondering) (?:what|how|why|about)\b",
    r"\bi (?:wonder|am wondering) (?:what|how|why|where|when)\b",
)
CLOSED_OPENER = (
    LEAD_IN + r"(?:do|does|did|are|is|am|was|were|can|could|"
    r"would|will|have|has|had|should|shall|may|might|must|is not|are not|do not|did not|does not|have not|"
    r"was not|were not|can not|would not|could not|anything|anyone|anybody|ever)\b"
)

FEELING_CHECK: tuple[str, ...] = (
    r"\bis (?:that|this|it) (?:right|correct|accurate|true|fair|close|it|what you (?:mean|meant|are"
    r" saying))\b",
    r"\b(?:did|have|do) i (?:get|got|have) (?:all of (?:it|that)|it all|all that|the gist|that|this|it|you|"
    r"everything)(?: (?:right|correct|straight))?\b",
    r"\bam i (?:hearing|understanding|getting|reading) (?:you|that|this|it) (?:right|correctly)\b",
    r"\bam i (?:right|close|on track|understanding|missing (?:anything|something))\b",
    r"\b(?:does|did) (?:that|this|it) (?:sound|seem|feel) (?:right|accurate|about right|correct|close)\b",
    r"\b(?:does|did) (?:that|this) (?:capture|fit|cover|describe) (?:it|how you|what you)",
    r"\bdid i (?:miss|leave out) (?:anything|something)\b",
    r"\b(?:correct|stop) me if i am (?:wrong|off|missing)\b",
    r"\blet me know if i (?:got|missed|misunderstood|am wrong|have (?:it|that) wrong)\b",
    r"\bhave i (?:understood|got) (?:that|this|it|you)\b",
    r"\bis (?:that|this) (?:what|how) (?:you|it) (?:mean|meant|feel|felt|are)\b",
    r"\bdid i understand (?:you|that|it)\b",
    r"\b(?:did|have|do) i (?:hear|heard|understand|understood|read) (?:that|this|it|you)(?: (?:right"
    r"|correctly))?\b",
    r"\bis (?:that|this|it) (?:part of it|the (?:main |big |hardest )?(?:thing|part)|what (?:it is|i"
    r"s going on|hurts|"
    r"happened))\b",
    r"^sound (?:ok|okay|right|about right|fair)\b",
    r"\bcan i (?:just )?check\b",
)
PERMISSION_ASK: tuple[str, ...] = (
    r"\b(?:do|would) you (?:want|like|need) (?:me to (?:give|share|offer|suggest|make) )?(?:some |any |my |"
    r"a few )?(?:advice|ideas|suggestions|thoughts|input|opinions?|feedback|take|two cents|tips)\b",
    r"\b(?:do|would) you (?:just )?(?:want|like|need) (?:me to |someone to |to )?(?:just )?(?:listen|vent|"
    r"be heard|talk it (?:out|through))\b",
    r"\bor (?:do|would) you (?:just )?(?:want|like|need)\b",
    r"\b(?:is it|would it be) (?:okay|alright|all right|fine) (?:with you )?if i (?:share|offer|suggest|"
    r"give|tell|make|add|ask)\b",
    r"\b(?:can|may|could|might) i (?:offer|share|give|make|suggest|add) (?:you )?(?:a|an|some|my|one|"
    r"something)\b",
    r"\bare you (?:looking|open|wanting) (?:for|to) (?:advice|ideas|suggestions|solutions|hear)",
    r"\bwould (?:it|some ideas|some suggestions) (?:help|be helpful) if i\b",
    r"\bwhat (?:would|do) you need from me\b",
    r"\b(?:do|would) you want me to (?:just )?(?:help|fix|solve|listen)\b",
    r"\bor (?:would you rather|is it more|are you more|do you just|would you just|is it that you|just) ",
    r"\b(?:want|need) (?:my |some |any )?(?:ideas|advice|suggestions|thoughts|take|input|help)\b[^.?"
    r"!]{0,30}\bor\b",
    r"\bor (?:just )?(?:vent|rant|talk it out|get it off your chest|be heard|have me listen|someone "
    r"to listen)\b",
    r"\b(?:do|would) you (?:actually |even )?(?:want|need) (?:them|any|it)\s*[?]",
    r"\b(?:do|would) you (?:want|like) to hear (?:a|some|my|any|them|what i|what my|a couple|a few)\b",
)
REPAIR: tuple[str, ...] = (
    r"\b(?:sorry|apologise|apologize|my bad)\b[^.?!]{0,12}\b(?:i|that i) (?:was not|did not|have not"
    r" been|had not"
    r" been) (?:really |fully |properly |actually |even )?(?:listening|hearing|paying attention|getting|"
    r"present|there)",
    r"\bi (?:was not|did not|have not been) (?:really |fully |properly |actually )?(?:listening|hear you|"
    r"paying attention|present)\b",
    r"\b(?:let me|can i|could i|may i) (?:try|have another go|take another (?:go|shot)|start)(?: that|"
    r" this)? (?:again|over)\b",
    r"\b(?:let me|can i|could i|may i) (?:rephrase|try to say that better|say that better)\b",
    r"\bi (?:think i )?(?:missed|misunderstood|misread|got (?:that|it|this) wrong|jumped (?:in|ahead|to)|"
    r"interrupted|cut you off|rushed)\b",
    r"\bi (?:was|have been) (?:being )?(?:dismissive|distracted|defensive|not listening|too quick|"
    r"preoccupied)\b",
    r"\bi should not have (?:said|jumped|interrupted|given|offered|brushed|dismissed)\b",
    r"\bthat came out wrong\b",
    r"\b(?:can|could|may|shall) (?:i|we) (?:try|have|get|give it) (?:that |this |it )?(?:again|over|"
    r"another (?:go|try|"
    r"shot|chance))\b",
    r"\b(?:can|could|shall) we (?:(?:start|begin) (?:over|again)|go back)\b",
    r"^(?:let us |let me )?start (?:over|again)\b",
    r"\b(?:give me|have) another (?:go|try|chance|shot) at (?:this|that|it|listening|actually)\b",
    r"\bi would (?:really )?like another (?:go|try|chance|shot)\b",
    r"\bi got defensive\b",
)
# A repair in parts: owning the lapse, and asking for another go; either with an apology will do.
REPAIR_ADMIT: tuple[str, ...] = (
    r"\bi (?:jumped|rushed|went) (?:straight |right )?(?:to|in|into|ahead)\b",
    r"\bi (?:brushed|laughed|shrugged|waved) (?:that|it|you|this) off\b",
    r"\bi (?:got|had) (?:that|it|this) (?:so |all |completely )?wrong\b",
    r"\bi (?:messed|screwed) (?:up|that up|it up)\b",
    r"\bi came at (?:that|it|this|you) (?:badly|wrong)\b",
    r"\bi (?:was|have been) (?:zoned|checked|tuned) out\b",
    r"\bi was not (?:really |fully |properly )?(?:taking it in|hearing you|there for you|listening)\b",
    r"\bi answered with\b",
    r"\b(?:that|it) was (?:a )?(?:defensive|unfair|not fair|cruel|mean|a dig)\b",
    r"\bi (?:have been|was) listening to (?:defend|argue|reply|answer)\b",
    r"\b(?:you are right|fair),? i (?:was|have been|came|did|got|jumped|should)\b",
    r"\bi should not have\b",
    r"\binstead of (?:listening|hearing)\b",
)
REPAIR_ASK: tuple[str, ...] = (
    r"\b(?:tell|say|give) (?:me |it )?(?:it |that |about [^.?!]{0,30})?again\b",
    r"\bi will (?:just |actually |really )?(?:listen|hear it|hear you)\b",
    r"\b(?:let me|i want to|i will) (?:just )?(?:listen|hear it)\b",
    r"\b(?:can|could) we (?:open it|go) back\b",
    r"\bstart (?:over|again)\b",
    r"\banother (?:go|try|chance|shot)\b",
    r"\bhear (?:it|that|you|all of it|the whole thing)(?: out)? again\b",
)
DEFENSIVENESS: tuple[str, ...] = (
    r"\b(?:that is|it is|this is) (?:not|so not) fair\b(?! (?:on|to|for) (?:you|her|him|them)\b)",
    r"\bi was (?:only|just) (?:trying|saying|joking|being (?:honest|funny|nice|friendly|polite)|asking|"
    r"checking|looking|reading|answering|replying|texting|kidding|teasing|messing|playing|telling)\b",
    r"\bi am (?:only|just) (?:trying to help|saying|being honest|asking)\b",
    r"\bi did not (?:really |actually )?mean (?:it|to|that|anything)\b",
    r"\byou do (?:it|that|this|the same)(?: thing)? (?:too|as well|all the time)\b",
    r"\byou are (?:one|the one|a fine one) to talk\b",
    r"\bwhat about (?:when )?you\b(?! (?:feel|think|want|need))",
    r"\bthat is not what i (?:said|meant)\b",
    r"\bi never said\b",
    r"\b(?:it is|that is) not my fault\b",
    r"\bdo not blame me\b",
    r"\bi (?:did|do|was doing|am doing) (?:my best|everything i could|nothing wrong)\b",
    r"\bi am sorry (?:that )?you feel that way\b",
    r"\b(?:excuse me|sorry) for (?:trying|caring|asking|helping|having|being|existing|wanting|breathing)\b",
    r"\bwell,? (?:excuse|sorry) me\b",
    r"\bin my defen[cs]e\b",
    r"\bat least i (?:tried|was|did|am)\b",
    r"\byou (?:always|never) (?:do|say|make|blame|complain|forget|listen|help|start|act|want|bring|throw|"
    r"twist|nag|pick|assume|take (?:(?:my|his|her|their|your \w+) side|anything|it|this|responsibility))\b",
    r"\bi had (?:my|a good|good) reasons?\b",
    r"\b(?:why|how) are you (?:mad|angry|upset|yelling) at me\b",
    r"\bi am not (?:the |a )?(?:bad guy|one who|villain|enemy|problem|monster)\b",
    r"\byou (?:said|did|have said|have done|say|do) (?:way |far |much |even )?worse\b",
    r"\byou (?:said|did) (?:some )?(?:pretty |really |very )?(?:harsh|awful|mean|horrible|nasty|hurt"
    r"ful) (?:things|stuff)\b",
    r"\bi (?:only |just )?(?:did|said) (?:that|it|this) because\b",
    r"\bi (?:only |just )?(?:\w+ ){1,4}because i (?:did not|was|had|needed|wanted|could not)\b",
    r"\bi (?:had to|needed to) (?:work|stay|finish|go|leave|deal|take|get)\b",
    r"\bwhat (?:else )?(?:was|am|were) i (?:supposed|meant) to (?:do|say)\b",
    r"\bwhy are you (?:being like this|making|attacking|having a go)\b",
    r"\b(?:it|this) (?:was not|is not) one-sided\b",
    r"\bit takes two\b",
    r"\bi (?:honestly |really )?do not remember (?:saying|doing)\b",
    r"\bso (?:now )?(?:it is|this is|that is|everything is) (?:all |somehow )?my fault\b",
    r"\bthat is (?:just |simply |totally |completely |absolutely )?not true\b",
    r"\byou (?:are making|make|made) (?:it|me|this|that) (?:sound|look|seem) like i\b",
    r"\b(?:it|that) was (?:just |only )?(?:a joke|joking|banter|a bit of fun)\b",
    r"\bi was (?:just |only )?trying to help\b",
    # Intentions explained: "I didn't forget on purpose", "it's not like I meant it".
    r"\bi (?:did not|never|would not|would never|was not) (?:\w+ ){0,2}(?:on purpose|deliberately|intent"
    r"ionally|to hurt you)\b",
    r"\b(?:it|that) (?:was|is) not (?:on purpose|deliberate|intentional)\b",
    r"\bit is not like i\b",
    r"\bi (?:only|just) (?:wanted|meant|tried) to (?:help|be (?:nice|funny|helpful|honest|supportive)|make "
    r"(?:you|it|things)|protect|cheer|look after)\b",
    # Blame turned around: "how is it my fault?", "so now I'm the bad guy".
    r"\b(?:how|why) is (?:it|that|this|everything) (?:always )?my fault\b",
    r"\b(?:it is|that is|everything is) always my fault\b",
    r"\bso now i (?:can not|am not allowed|am the|am a|have to|should|need to|must)\b",
    r"\bmake (?:me|myself) (?:out to be|sound like|look like|seem like) (?:the |a |some )?(?:bad guy|villain|"
    r"monster|terrible|awful|horrible|worst)\b",
    r"\b(?:so|fine|okay|great|right|oh|wow),? (?:(?:so|basically|now|apparently|i guess),? )*i am (?:just |"
    r"apparently )?(?:a |the |such a )?(?:terrible|awful|horrible|worst|bad guy|villain|monster|useless)\b",
    r"\bsorry (?:that )?i am not perfect\b",
    r"\b(?:nobody|no one) is perfect\b",
    r"\bi (?:had|have|got) no (?:other )?(?:choice|option|options|say)\b",
    r"\bi did not have (?:a|any|much) (?:choice|option|say)\b",
    r"\bwhat choice did i have\b",
    # The apology held up as enough: "I already said sorry", "what more do you want?"
    r"\bi (?:already |have already |literally |just |even )(?:said|say) (?:i am )?sorry\b",
    r"\bi (?:already |have already |literally |even )apologi[sz]ed\b",
    r"\bhow many (?:more )?times do (?:i|you want me to) (?:have to )?(?:say|apologi)",
    r"\bwhat (?:more|else) do you want from me\b",
    r"\bwhat more do you want\b(?! to (?:say|tell|share|talk)\b)",
    r"\bhow (?:was|am|were) i (?:supposed|meant) to (?:know|guess|tell)\b",
    r"\bhow (?:could|would|should) i have (?:known|guessed)\b",
    r"\bi (?:can not|could not) read (?:your|people's|minds|your mind)\b",
    r"\bi am not a mind ?reader\b",
    # Counter-attacks: "you do it too", "don't lecture me", "look who's talking".
    r"\byou (?:\w+ ){1,4}(?:all the time|constantly|every (?:day|night|time)|nonstop) (?:too|as well|yourse"
    r"lf)\b",
    r"\byou (?:did|do) (?:exactly |the exact )?(?:the same|that|it|this)(?: thing)? (?:too|as well|yourself|"
    r"all the time|to me)\b",
    r"\b(?:do not|stop|quit) (?:lecture|lecturing|blame|blaming|judge|judging|nag|nagging|patroni[sz]e|"
    r"patroni[sz]ing|attack|attacking|guilt trip|guilt tripping|having a go at|have a go at|yelling at|yell"
    r" at|shouting at|shout at|going on at|go on at|starting on|start on|getting at) me\b",
    r"\btwisting (?:my words|what i said|everything|things)\b",
    r"\bputting words in my mouth\b",
    r"\b(?:look who is talking|that is rich|pot calling the kettle)\b",
    r"\bname (?:one|a single) (?:other )?time\b",
    r"^(?:always|never|whenever|every time|all the time)\s*\?",
    # Standing on one's own record: "I work hard for us", "I do listen!"
    r"\bi (?:work|am working|have been working) (?:so |really |very |damn |bloody )?hard\b(?! (?:on|to|at)\b"
    r")",
    r"\bi do (?:listen|get it|notice|try|help|my (?:share|bit|best)|pull my weight|pay attention)\b",
    r"\bi am (?:listening|trying|doing my best|doing everything i can)\s*!",
    r"\bi (?:did not|have not|never) (?:do|did|done|say|said) anything wrong\b",
    r"\bwhat (?:have|did) i (?:even )?(?:done|do) (?:wrong|now)\b",
    r"\bi can not (?:say|do|talk about|mention|make) (?:anything|a thing|a single thing)(?: (?:anymore|any m"
    r"ore|now|without))\b",
)
INVALIDATION: tuple[str, ...] = (
    r"\byou are (?:" + _ADV + r" )?(?:over ?react\w*|being (?:(?:" + _ADV + r"|too|so|overly|way|way"
    r" too|a bit too|a little too) )?(?:dramatic"
        r"|silly|ridiculous|"
    r"sensitive|childish|irrational|unreasonable|paranoid|petty|a baby|selfish|defensive)|(?:too|so|overly)"
    r" (?:sensitive|dramatic|emotional)|making (?:a big deal|a mountain|too much|this about)|blowing (?:it|"
    r"this|things) out)",
    r"\b(?:you|stop|quit) (?:are )?(?:" + _ADV + r" )?over ?react\w*",
    r"\b(?:that|this|it) is (?:an |a bit of an |such an )?over ?reaction\b",
    r"\b(?:calm|settle) down\b",
    r"^(?:just )?(?:relax|chill(?: out)?)\b",
    r"\bget over (?:it|yourself|him|her)\b(?<!to get over it)(?<!to get over him)(?<!to get over her)",
    # "move on" as an order, not as part of the partner's own story ("you can't move on").
    r"\bmove on\b(?<!not move on)(?<!to move on)(?<!you move on)(?<!i move on)(?<!they move on)",
    r"\b(?:it|that|this) is (?:really |honestly |just |seriously |actually )?(?:not|no) (?:a |that |"
    r"such a |really a |"
    r")?(?:big|huge)(?: of a)? deal\b",
    r"\b(?:it|that|this) is not (?:that|so|even that) (?:bad|serious|important|hard)\b",
    r"\bit (?:could|can) (?:always )?(?:be|have been) (?:a lot |much |way )?worse\b",
    r"\b(?:others|other people|some people|many people|lots of people|plenty of people) (?:have it|are)"
    r" (?:worse|harder|way worse|much worse)",
    r"^(?:well,? |but,? |oh,? )?at least\b",
    r"\bdo not (?:worry|stress|be sad|be upset|feel bad|take it (?:so )?personally|cry|let it get|re"
    r"ad (?:into|too much)|"
    r"overthink|be scared|be afraid|be like that|be silly|be so)\b",
    r"\bno (?:need|reason) to (?:worry|be upset|feel|get upset|be sad|cry)\b",
    r"\b(?:look|focus) on the bright side\b",
    r"\beverything (?:will|is going to) (?:be|work out|turn out)\b",
    r"\b(?:cheer|lighten|toughen|man|buck) up\b",
    r"\bsuck it up\b",
    r"\bstop (?<!want you to stop )(?<!wanted you to stop )(?:complaining|whining|crying|worrying|being|moan"
    r"ing|feeling sorry|overthinking|stressing|obsessing|dwelling|going on about|freaking out|panicking)\b",
    r"\b(?:it is|that is) (?:all )?in your head\b",
    r"\byou should (?:not|never) (?:feel|be (?:so |that )?(?:upset|sad|angry|worried|bothered)|worry|let"
    r" (?:it|that|this))\b",
    r"\b(?:that is|it is|you are being) (?:just )?(?:silly|ridiculous|stupid|irrational|nothing|no big"
    r" deal)\b(?<!told you it is nothing)(?<!said it is nothing)(?<!told you that is nothing)",
    r"\bwhat is the big deal\b",
    r"\beverything happens for a reason\b",
    r"\b(?:it|that|this) is not (?:that|so) deep\b",
    r"\b(?:everyone|everybody|we all) (?:goes|go|has gone|have gone|went) through (?:that|this|it)\b",
    r"\bno point (?:in )?(?:getting|being|feeling) (?:upset|worked up|angry|sad|mad|stressed)\b",
    r"\bi am sure (?:she|he|they|it) (?:did not mean|had (?:a |her |his |their |good )?reasons?|meant well)",
    r"\b(?:maybe|perhaps|probably) (?:she|he|they) (?:did not mean|was just|were just|did not realize|meant"
    r" well)",
    r"\bi (?:would not|would never) (?:even )?(?:worry|complain|stress|fret|get (?:upset|worked up|stressed)|"
    r"lose sleep|make a (?:fuss|big deal|thing)|take it (?:so |too )?personally|read (?:too much|into))\b",
    r"\b(?:think|be|stay) positive\b",
    r"\bcount your blessings\b",
    r"\bit is what it is\b",
    r"\bthat is (?:just )?life\b",
    r"\bnot (?:exactly |really |quite )?the end of the world\b",
    r"\byou should be (?:grateful|thankful|happy|glad)\b",
    r"\byou do not (?:really )?(?:mean|feel) that\b",
    r"\bthat is (?:just |simply |totally |completely |absolutely )?not (?:true|what happened|how it (?:is|w"
    r"as|works))\b",
    r"\bare you sure (?:you are not|it is not|that is not) (?:\w+ing|being|just)\b",
    r"\byou will (?:get over|be (?:fine|okay|alright))\b",
    r"\byou are (?:fine|wrong)\b",
    r"\bwhy (?:are|would) you (?:so |even |getting )?(?:upset|worried|bothered|mad|angry|sad|stressed)\b",
    r"\b(?:it|that|this) (?:is|was) (?:only|just|literally|merely) (?:a|one|some|money|words|stuff|things|a"
    r" game|banter|teasing|hair|a number)\b(?! (?:lot|bit much|little much|of (?:the|my|your)|thought|sugge"
    r"stion|guess|idea|question|theory|hunch|feeling|thing i)\b)",
    r"\byou (?:are|were) (?:lucky|fortunate)\b",
    r"\bthings could be worse\b",
    r"^(?:not now|not right now|not tonight)\b",
    r"\bcan not (?:this|it|that) wait\b",
    r"\b(?:she|he|they) (?:means|meant|mean) well\b",
    r"\b(?:that is|it is) just (?:how|the way) (?:she|he|they) (?:is|are)\b",
    r"\b(?:she|he|they) (?:does|do|did) not mean (?:anything|it|any harm)\b",
    r"\b(?:she|he|they) (?:is|are|was|were) (?:probably )?just (?:busy|tired|stressed|joking|teasing)\b",
    r"\bmaking (?:this|it|that) (?:into )?(?:a )?(?:much |way |so much )?(?:bigger|huge|such a) (?:d"
    r"eal|thing)\b",
    r"\bbigger deal than it is\b",
    r"\b(?:it|that) was (?:just |only )?(?:a joke|joking|banter|a bit of fun)\b",
    r"\btry not to (?:worry|think about it|stress|dwell|let it)\b",
    r"\b(?:stop|quit) tak\w* (?:it|this|things) (?:so )?personally\b",
    r"\bit (?:will|is going to) (?:pass|blow over|sort itself out)\b",
    r"\beveryone (?:is|gets|feels) (?:\w+ )?(?:like that|the same|at first)\b",
    # Minimising by size: "it's hardly a big deal", "a mountain out of a molehill", "it's one dinner".
    r"\b(?:hardly|not really|not exactly|not even) (?:(?:a |that |such a |that much of a |much of a )(?:bi"
    r"g |huge )?|big |huge )deal\b",
    r"\bnot (?:that|so|such|too|really that) (?:big|huge) (?:of )?a deal\b",
    r"\bno (?:big|huge) deal\b",
    r"\bmountain (?:out )?of (?:a |this |that )?molehill\b",
    r"\bmaking (?:such |so much of |a (?:huge |big |massive |whole )?)(?:deal|fuss|drama|scene|song and dan"
    r"ce|thing) (?:out of|of|about|over) (?:it|this|that|nothing|a|one|something|everything)\b",
    r"\b(?:it|that) (?:is|was) (?:only |just )?one (?:\w+ )?(?:dinner|comment|party|day|night|joke|promotion"
    r"|meal|text|call|message|mistake|game|evening|weekend|email|remark|word|birthday|event|trip|date|time)"
    r"\b(?=\s*(?:[.!?;]|$|,(?! (?:and|but|yet)\b)|so |not |we |it |lol))",
    r"\bnot (?:as|that|so) bad as (?:you|it)\b",
    r"\b(?:worse|bigger|more) than it (?:really )?(?:is|was)\b",
    r"\b(?:blow|blowing|blown) (?:it|this|that|things|everything) (?:way |totally |completely |all )?out of"
    r" proportion\b",
    r"\byou (?:\w+ ){1,4}(?:over|about) nothing\b",
    r"\bnobody died\b",
    r"\bit is not like (?:they|he|she|anyone|anybody|someone|somebody|your (?:boss|\w+)) (?:\w+ ){0,2}(?:fi"
    r"red|sacked|died|dumped|hit|cheated|left|divorced|disowned|hates?|hated)\b",
    # False comfort: "you'll be fine", "it's probably nothing", "nothing to worry about".
    r"\byou will (?:\w+ )?(?:be|feel) (?:totally |absolutely |perfectly |just |completely )?(?:fine|okay|al"
    r"right|all right)\b",
    r"\b(?:it|everything|things|that|this) (?:will|is going to) (?:all )?(?:be|work out|turn out) (?:totally"
    r" |absolutely |perfectly |just )?(?:fine|okay|alright|all right)\b",
    r"\b(?:i am sure|i bet|trust me,?) (?:it is|it will be|you will be|everything will be|it was|you are|it i"
    r"s probably) (?:nothing|fine|okay|alright|all right|not as bad|not that bad)\b",
    r"\b(?:is|are|will be) (?:probably|almost certainly|most likely) (?:nothing|fine|okay)\b",
    r"\b(?:these|such|those) things are (?:almost always |usually |often |probably |normally )?(?:nothing|"
    r"fine|routine)\b",
    r"\bnothing to (?:worry|stress|be (?:upset|scared|afraid|worried|sad|anxious|jealous)|get (?:upset|wor"
    r"ked up|stressed)) about\b",
    r"\bnot worth (?:the (?:drama|fuss|stress|worry|tears)|getting (?:upset|worked up|stressed|angry))\b",
    r"\b(?:it|the feeling|these feelings) (?:passes|will pass|goes away|will go away|wears off|will wear o"
    r"ff)\b",
    r"\bthis too shall pass\b",
    r"\b(?:remember|notice|care about) (?:it|that|this) (?:by (?:next|tomorrow|monday|the weekend)|tomorro"
    r"w|next week|in a (?:week|day|month))\b",
    r"\bforgotten (?:about )?(?:it|that|this|all about it) (?:by|in a|tomorrow|next)\b",
    # Judging the feeling: "you're too touchy", "you overthink everything", "that's a bit dramatic".
    r"\byou are (?<!not think you are )(?<!not believe that you are )(?<!not believe you are )(?<!not say"
    r"ing you are )(?:(?:" + _ADV + r"|being|so|too|way too|a bit too|overly|getting|such a|a) )*(?:touchy|u"
    r"ptight|precious|hysterical|negative|needy|clingy|a drama queen|a snowflake|thin.skinned|melodramatic"
    r"|over the top|overthinking|overanaly[sz]ing|catastrophi[sz]ing|exaggerating|imagining (?:it|things|"
    r"that)|remembering (?:it|that|this) wrong|misremembering|making (?:it|that|this|things) up)\b",
    r"\byou (?:always |really |just |totally )?(?:overthink|overanaly[sz]e|catastrophi[sz]e|exaggerate|ove"
    r"rdramati[sz]e)\w*",
    r"\breading (?<!not reading )(?<!do not think you are reading )(?:way |far |a bit |a little |so )?too"
    r" much into\b",
    r"\b(?:that|this|it) is (?:(?:" + _ADV + r"|a bit|a little|so|too|way too|kind of|bit) )?(?:dramatic|"
    r"melodramatic|over the top|overdramatic|paranoid|an exaggeration|a stretch)\b",
    r"\byou are getting (?:yourself )?(?:so |all |really )?(?:worked up|wound up|in a state)\b",
    r"\byou (?:always|never|constantly) (?:blow up|overreact|freak out|get (?:so |like this|like that|upse"
    r"t|worked up|emotional|dramatic|angry|mad|defensive)|make (?:a (?:big |huge )?(?:deal|fuss|drama|scen"
    r"e|thing)|everything about)|take (?:things|everything|it) (?:so |too )?personally|think the worst|"
    r"panic|moan|whine|sulk|kick off|go on about)\b",
    r"\bwhy (?:are|were) you (?:getting |being )?(?:so|this|that) (?:\w+ )?(?:worked up|wound up|upset|"
    r"dramatic|touchy|sensitive|emotional|bothered|hung up|stressed|angry|mad|sad|worried)\b",
    r"\bwhy do you (?:even )?care (?:so much|that much|what)\b",
    r"\bwhy (?:does|would|should) (?:it|that|this) even (?:matter|bother you)\b",
    r"\bwhat does it (?:even )?matter\b",
    r"^(?:oh,? |honestly,? |well,? |so,? |but,? |and )*who cares\b",
    r"^(?:and |okay,? |oh,? )?so what(?=[?,.!]|$)",
    r"\bi do not (?:see|get) (?:why you (?:should|would) (?:even )?be|what the (?:big )?(?:deal|fuss|probl"
    r"em) is|the (?:big )?(?:deal|fuss|problem))\b",
    # Orders to stop feeling it: "you need to relax", "just let it go", "grow up".
    r"\byou (?:just |really |seriously )?(?:need|have|got|ought) to (?:relax|chill(?: out)?|calm (?:down|you"
    r"rself)|get a grip|grow up|toughen up|lighten up|let it go|get over it|move on|stop worrying|stop st"
    r"ressing)\b",
    r"\bjust (?:relax|chill)\b",
    r"\bchill out\b",
    r"\b(?:take a chill pill|get a grip)\b",
    r"^(?:oh,? |just |honestly,? |come on,? )*grow up\b",
    r"^(?:oh,? |well,? |and )*here we go(?: again)?\b",
    # Only a joke: "can't you take a joke?", "it was just banter".
    r"\b(?:only|just)(?<!not only)(?<!not just) (?:a joke|joking|kidding|teasing|banter|messing (?:about|ar"
    r"ound)|having a laugh|a laugh|a bit of fun|a bit of banter)\b",
    r"\b(?:can not|could not) (?:you )?take a joke\b",
    r"\bit is called (?:a joke|banter|humou?r)\b",
    r"\b(?:get|have|where is) (?:a |your )sense of humou?r\b",
    # Others have it worse, silver linings: "people would kill for your job", "part of the job".
    r"\b(?:plenty of|lots of|loads of|many|most|some|other) people (?:would (?:kill|love|give anything|give "
    r"their right arm)|would be (?:glad|grateful|happy|thrilled|lucky)|dream of|can only dream)\b",
    r"\bpeople would (?:kill|give anything|give their right arm) (?:to|for)\b",
    r"\bi would kill for (?:that|your|a)\b",
    r"\b(?:a|such a) (?:nice|good|great) problem to have\b",
    r"\bfirst world problems?\b",
    r"\bwelcome to (?:adulthood|the real world|my world|life|parenthood|marriage)\b",
    r"\b(?:is|that is|it is) (?:just )?part of (?:life|the job|growing up|being an adult|being a parent|w"
    r"orking)\b",
    r"\byou will (?:grow|learn) from (?:it|this|that)\b",
    r"\b(?:it|this|that) (?:will|is going to) make you stronger\b",
    r"\bat least(?<=[,;] at least) (?:you|they|it|he|she|nobody|no one|your|there|the|we|that|this)\b",
    r"^(?:well,? |oh,? |hey,? |but,? |honestly,? )*(?:things |it |that )?could (?:always )?(?:be|have been"
    r") (?:a lot |much |way |so much |far )?worse\b",
    r"\b(?:everyone|everybody|we all|every family|every couple|every parent|every kid|every person|all co"
    r"uples|all families|all parents) " + _EVERYONE_DOES,
    r"\b(?:maybe|perhaps|probably|i am sure) (?:it|she|he|they) (?:was|were) (?:just )?(?:an? )?(?:mistake|"
    r"misunderstanding|oversight|accident)\b",
)
SARCASM: tuple[str, ...] = (
    r"\boh,? (?:sure|great|wonderful|how (?:terrible|awful|sad|tragic)|no,? poor)\b",
    r"\byeah,? right\b",
    r"/s\b",
    r"\b(?:wow|aw|aww|awww|oh),? poor (?:you|baby|thing)\b",
    r"^poor (?:you|baby)\b",
    r"\bboo,? ?hoo\b",
    r"\bcry me a river\b",
    r"\bmust be nice\b",
    r"\bsure,? whatever\b",
    r"\bhow tragic\b",
    r"\bwhat a tragedy\b",
    r"\bsmallest violin\b",
    r"\bthe (?:centre|center) of the universe\b",
)
SPIN: tuple[str, ...] = (
    r"\bwhat you (?:really|actually) (?:mean|want|need|are saying|feel)\b",
    r"\bwhat you are (?:really|actually) saying\b",
    r"\b(?:the|your) (?:real|actual) (?:problem|issue|reason) is\b",
    r"\bdeep down,? you\b",
    r"\byou (?:just|only) want (?:attention|to be right|to complain|an excuse)\b",
    r"\byou are (?:just|only) (?:jealous|looking for|trying to)\b",
)
VALIDATION: tuple[str, ...] = (
    r"\b(?:that|it|this|which) (?:makes|made|would make) (?"
    r":" + _ADV + r" |a lot of |perfect |complete |total )?sense\b",
    r"\bmakes (?:" + _ADV + r" |a lot of |perfect |complete |total )?sense\b",
    r"\b(?:that|it|this|your reaction|your feeling|feeling that way|feeling like that) is (?:" + _ADV
    + r" |very |completely |totally |perfectly |so )?(?:understandable|normal|natural|valid|reasonable|"
    r"legitimate|human|expected|justified)\b",
    r"\b(?:your|those|these) feelings are (?:" + _ADV + r" )?(?:valid|understandable|normal|natural|okay)\b",
    r"\b(?:anyone|anybody|everyone|most people|many people|who) (?:would|could|might) (?:feel|be|have felt|"
    r"get|not)\b",
    r"\bwho would not\b",
    r"\bno wonder\b",
    r"\bof course you (?:are|feel|would|were|did|felt)\b",
    r"\bit is (?:okay|ok|alright|all right|fine|normal|natural|understandable|human) to (?:feel|be|have|"
    r"want|not|cry|grieve)\b",
    r"\byou have (?:every|a) right to (?:feel|be)\b",
    r"\byou are (?:not|never) (?:alone|crazy|wrong|weak|silly|overreacting)\b",
    r"\bi (?:can |totally |completely |really )?(?:understand|see|get|know) (?:why|how) (?:you|that|this|"
    r"it|someone|anyone)\b",
    r"\bi (?:can )?(?:totally |completely |really |definitely )?(?:understand|get) (?:that|it|your|the|how"
    r" hard|where you are coming from)\b",
    r"\bi (?:would|might) (?:feel|be|have been|have felt) (?:the same|that way|" + _FEELING + r")\b",
    r"\bi am not surprised\b",
    r"\b(?:it is|that is) (?:hard|difficult|tough|not easy) not to\b",
    r"\byou are (?:right|allowed|entitled) to (?:feel|be)\b",
    r"\b(?:that|it) is (?:a lot|a huge|a big|so much)\b",
    r"\b(?:that|it) (?:really |so |totally |just )?sucks\b",
    r"\b(?:that|it) is (?:" + _ADV + r" )?(?:rough|hard|tough|awful|terrible|difficult|brutal|unfair|horrib"
        r"le|"
    r"rubbish|the worst|not okay|not fair)\b",
    r"\bthat would (?:upset|frustrate|hurt|worry|scare|bother|annoy|stress) (?:anyone|anybody|me|most)\b",
    r"\bi can (?:only )?imagine\b",
    r"\bit is (?:completely |totally |perfectly )?(?:valid|understandable) (?:to|that)\b",
    r"\b(?:sounds|sound|must (?:be|feel|have been|have felt)) (?:" + _ADV + r" )?(?:very )?(?:" + _HARD[3:-1]
    + r"|miserable|isolating|heavy|lonely)\b",
    r"\byou (?:so |really |totally )?deserve (?:it|this|that|better)\b",
    r"\band you should be\b(?! \w)",
    r"\b(?:that|it) takes (?:guts|courage|strength|real)\b",
    r"\b(?:it|that|this) is not (?:silly|stupid|awful|weird|wrong|crazy|dumb)(?: at all)?\b",
    r"\b(?:that|it) is a (?:big|huge) deal\b",
)
# The partner doubting their own feeling ("was I overreacting?", "am I being silly?") or fearing they
# are a burden ("you must be sick of me"): a bare "yeah, a bit" then agrees with the doubt.
SELF_DOUBT = (
    r"\b(?:am i|was i|i am|i was|i know i am|i know i was|i have been) (?:just |being |a bit |a little |t"
    r"oo |so |probably |really )*(?:overreact\w*|silly|dramatic|stupid|ridiculous|paranoid|unreasonable|t"
    r"oo sensitive|petty|crazy|making (?:a (?:big )?(?:deal|fuss|thing)|too much)|too much|a burden|moani"
    r"ng|whining|going on)\b|\byou must be (?:sick|tired|fed up) of (?:me|it|this|hearing)\b"
)
# A doubt about the feeling itself, which a bare "no, you weren't" answers with validation.
FEELING_DOUBT = (
    r"\b(?:am i|was i) (?:just |being |a bit |a little |too |so |really )*(?:overreact\w*|silly|dramatic|"
    r"stupid|ridiculous|paranoid|unreasonable|too sensitive|petty|crazy|making (?:a (?:big )?(?:deal|fus"
    r"s|thing)|too much))\b"
)
AGREE_WORDS: frozenset[str] = frozenset(
    _wordlist("yes yeah yep yup bit little slightly kind sort definitely totally kinda sorta")
)
DENY_WORDS: frozenset[str] = frozenset(_wordlist("no not nope never nah"))
# Words a bare answer to such a question may be made of ("a little bit yeah, to be honest").
BARE_ANSWER_WORDS: frozenset[str] = AGREE_WORDS | DENY_WORDS | frozenset(
    _wordlist(
        """
        a of maybe honestly to be honest i mean well just tiny you were are was am okay ha haha pretty
        much really sometimes at all course absolutely way hmm um uh oh
        """
    )
)
VALIDATION_BUT = r"\b(?:but|however|though|although|yet|still)\b"
# What follows a "but" that turns an acknowledgement into a defence of the listener or of someone
# else ("I get it, but my day was rough too", "I understand, but she has had a hard year").
BUT_DEFENCE: tuple[str, ...] = (
    r"^(?:honestly,? |to be fair,? |you know,? |like,? |i mean,? |come on,? )*(?:i (?:was|am|have been) "
    r"(?:just |so |really |very |genuinely |completely )?(?:tired|exhausted|busy|stressed|knackered|shatte"
    r"red|swamped|slammed|under (?:a lot of )?pressure|trying|doing|only|not)\b|i (?:had|needed) to\b|i h"
    r"ave (?:a lot|so much) (?:going on|on|to)\b|my (?:day|week|job|work|boss|shift|humou?r)\b|it is my (?"
    r":job|work|money)\b|(?:it|this|that) (?:was|is) (?:really |genuinely |super )?(?:urgent|important|wor"
    r"k)\b|this (?:email|call|message) is\b|you know (?:my|me|what i am|how i am)\b|(?:she|he|they) (?:ha"
    r"s|have) had\b|(?:she|he|they) (?:did not|does not|do not) mean\b|(?:she|he|they) (?:meant|means) we"
    r"ll\b|(?:she|he|they) (?:was|were|is|are) (?:just |only |probably |really )+(?:trying|busy|tired|stre"
    r"ssed|worried|joking|being))",
)
EMPATHY: tuple[str, ...] = (
    r"\b(?:i am|i) (?:" + _ADV + r" )?(?:very )?sorry (?:to hear|that|you|for|about|this|it)\b",
    r"\bso sorry\b",
    r"\b(?:it|that|this|seeing you) (?:hurts|breaks|pains|saddens) (?:me|my heart)\b",
    r"\bit (?:hurts|pains|saddens|breaks) me\b",
    r"\bmy heart (?:goes out|breaks|aches|hurts|is with)\b",
    r"\bi feel (?:" + _ADV + r" )?(?:sad|bad|awful|terrible|sorry) (?:for|that|to hear|about|hearing)\b",
    r"\bi feel for you\b",
    r"\bi feel (?:" + _ADV + r" )?(?:sad|bad|awful|terrible|sorry|heartbroken|gutted) (?:knowing|see"
    r"ing|that you|when)\b",
    r"\b(?:it|that|this) (?:really )?(?:breaks|hurts|pains|saddens) (?:me|my heart)\b",
    # A bare "sorry" is an apology; empathy says it as the listener's own reaction ("i am sorry",
    # "so sorry") or says what it is sorry about ("sorry that happened to you").
    r"^(?:oh,? |ugh,? |hey,? |and )?(?:i am (?:(?:so|really|very|truly) )*|(?:(?:so|really|very|truly) )+)"
    r"sorry\b(?:,? love)?(?! (?:but|for|you feel|if)\b)",
    r"^(?:oh,? |ugh,? |hey,? |and )?sorry (?:to hear|about (?:that|this|your|what)|for your loss|you (?:are|"
    r"were|have|had|went|got|feel|felt)|(?:that|this|it) (?:happened|is happening|was|is)|that (?:you|your|"
    r"he|she|they|it|this))\b",
    r"\bi am (?:" + _ADV + r" )?(?:glad|happy|thrilled|relieved|so happy|so glad) (?:she|he|they|it)\b",
    r"\bi am (?:" + _ADV + r" )?(?:sad|heartbroken|touched|moved|saddened|upset|angry|glad|happy|relieved|"
    r"proud) (?:to hear|that|by|for you|you|about|of you)\b",
    r"\bi wish (?:i could|you did not|you had not|that had not|it were|it was not|this was not|things"
    r" were)\b",
    r"\bi (?:really )?care about you\b",
    r"\bi (?:hate|hate it) (?:when|that) (?:that|this|it|you)\b",
    r"\bi am (?:here|there|with you) for you\b",
    r"\bi am here (?:with you|if you|to listen|whenever)\b",
    r"\bthank you for (?:sharing|telling|trusting|opening|being (?:so )?(?:open|honest))\b",
    r"\bthanks for (?:sharing|telling|trusting|opening)\b",
    r"\bi can not imagine (?:how|what)\b",
    r"\b(?:sending|big) (?:hugs|love|virtual hug)\b",
    r"\bi (?:really )?appreciate you (?:sharing|telling|opening|trusting)\b",
    r"\bthat (?:breaks|warms) my heart\b",
    r"\bi am so proud of you\b",
)
REFLECTION: tuple[str, ...] = (
    r"\b(?:sound|sounds) (?:like|as (?:if|though))\b",
    r"\b(?:sound|sounds) (?:" + _ADV + r" )?(?:very )?" + _HARD + r"\b",
    r"\b(?:seems|seemed|appears|looks) (?:like|as if|as though|that) (?:you|your|it|this|that|things|there|"
    r"he|she|they|the)\b",
    r"\byou (?:seem|sound|look|are feeling|feel|felt|are) (?:" + _ADV + r" )?(?:very )?(?:" + _FEELING
    + r"|like|that|as if|as though|torn|caught|stuck|overwhelmed|under)\b",
    r"\b(?:so|and|because) you (?:are|were|feel|felt|think|thought|want|wanted|have|had|do not|did not|can"
    r" not|just|really|would|will|need|needed|wish|hope|find|found|see|saw|know|still|kind of|mean|meant|"
    r"might)\b",
    r"\byou are (?:saying|telling me|worried|concerned|afraid|scared|wondering|struggling|dealing|going"
    r" through|having|carrying|hoping|trying|thinking|feeling|not sure|unsure|torn|ready|stuck|tired|"
    r"missing|frustrated)\b",
    r"\bwhat i am hearing\b",
    r"\b(?:that|it|this) (?:can|could|must|would|might) be (?:" + _ADV + r" )?(?:very )?(?:a )?" + _HARD,
    r"\b(?:it|that|this) (?:feels|felt) like\b",
    r"\bi (?:can |could )?(?:see|tell|sense|hear|feel)\b(?! (?:you|for you|ya)\b)[^.?!]{0,40}\b(?:you|"
    r"your)\b",
    r"\bi am (?:hearing|sensing|noticing|picking up)\b",
    r"\bi (?:can |could )?hear (?:that|how|what) (?:you|your)\b",
    r"\byou have (?:got|had|a lot|so much|been)\b",
    r"\b(?:important|hard|difficult|painful|scary|meaningful|a big deal|a lot) (?:to|for) you\b",
    r"\bi (?:think|guess|imagine|bet|suspect) (?:that )?you (?:are|were|feel|felt|really|must|might|have|"
    r"had|love|loved|want|wanted|need|needed|miss|missed|care|cared|still)\b",
    r"\bi (?:am )?hear(?:ing)? (?:that )?you (?:say|are|feel|felt|were|have|want|need|wish|do not)\b",
    r"\bif i (?:understand|hear|am hearing|heard) (?:you|correctly|right|that right)\b",
    r"\bi (?:can )?(?:see|tell|sense) (?:that )?(?:you|your|this|how much|how)\b",
    r"\byou (?:have|had) been\b",
    r"\bin other words\b",
    r"\b(?:that|it|this) (?:must|would|might|could) (?:be|have been|feel|make you|leave you|hurt)\b",
    r"\bmust (?:be|have been|feel) (?:" + _ADV + r" )?(?:very )?" + _HARD + r"\b",
    r"\byou must (?:be|feel|have (?:been|felt))\b",
    r"\byou (?:said|mentioned|told me|described|explained)\b",
    r"\byou (?:do not|did not|can not|could not) (?:want|know|feel|see|understand|believe|stand|get|seem|"
    r"trust)\b",
    r"\bpart of you\b",
    r"\bon (?:the )?one hand\b",
    r"\byou (?:wish|wished|want|wanted|need|needed|hope|hoped|miss|missed|love|care|worry|feel like)\b",
    r"\byou (?:are|were) (?:not sure|unsure|feeling|still)\b",
    r"\bi (?:can )?(?:understand|imagine) (?:how|that|why) (?:you|it|that|this) (?:feel|felt|must|might|"
    r"would|are|were|is|was)\b",
    r"\byou(?<!how you)(?<!what you) (?:felt|feel|are feeling|were feeling|have felt|have been feeli"
    r"ng)\b(?! free)",
    r"\byou (?:sound|seem|look|must be|must feel) (?:so |really |very |a bit |a little |quite )?\w+",
    # "you are over the moon that ...", "you were gutted about ...": the partner's state, restated.
    r"\byou (?:are|were|seem|sound|look|feel|felt|must be) (?:" + _ADV + r" )?(?:very |still |absolutely )?"
    + _STATE + r"\b",
)
# A sentence about the partner in the second person: a reflection only when it restates the
# partner's content or names a feeling, and not when it praises ("you are a strong person").
REFLECTION_WEAK: tuple[str, ...] = (
    LEAD_IN + r"(?:so,? )?(?:you|your)\b",
)
AFFIRMATION = (
    r"\byou will (?:find|be|get|make|feel|see|have|figure|do)\b|"
    r"\byou are (?:(?:" + _ADV + r"|such|very|a|an|so) )*(?:welcome|great|good|amazing|strong|smart|brave|"
    r"wonderful|awesome|kind|capable|resilient|intelligent|talented|lucky|doing (?:great|well|good|"
    r"an amazing)|a (?:good|great|strong))\b"
)
SELF_FOCUS: tuple[str, ...] = (
    r"\b(?:me|myself|i) (?:too|as well|also)\b",
    r"\bsame (?:here|with me|for me|thing happened)\b",
    r"\bi have been (?:there|through (?:that|this|the same|something|similar|it))\b",
    r"\bi (?:have|had) (?:had|been through|gone through|experienced|felt|dealt with|faced|lost|done) (?:a |"
    r"the |something |that |this |my |similar|the same)",
    r"\b(?:that|this|the same thing|something similar|it) (?:happened|happens) to me\b",
    r"\bwhen i was\b",
    r"\bi (?:remember|recall) (?:when|being|feeling|how|my|that|the)\b",
    r"\bi used to\b",
    r"\bi (?:also|too)\b",
    r"\bi (?:am|was|feel|felt|get|got) (?:" + _ADV + r" )?(?:tired|busy|stressed|exhausted|sad|lonely|"
    r"anxious|worried|struggling|the same|that way|like that)(?: too| as well| also)\b",
    r"\bi (?:feel|felt) (?:the same|that way|like that|the same way)\b",
    r"\bi (?:can|could) (?:totally |really |definitely )?relate\b",
    r"\bi (?:am|was|have been|was once) in (?:the same|a similar)\b",
    r"\bi (?:have |also |too )?(?:suffer|suffered|struggle|struggled|have struggled|have suffered) "
    r"(?:from|with)\b",
    r"\bi have been (?:experiencing|dealing with|struggling with|suffering)\b",
    r"\bi (?:have|had) (?:\w+ )?(?:friends|family|neighbou?rs|loved ones|relatives|coworkers|colleagues|"
    r"people) (?:who|that)\b",
    r"\beven i (?:get|feel|am|have|was)\b",
    r"\bi know (?:how|what) (?:it|that|this) (?:feels|is like|was like) because\b",
    r"\b(?:for|to) me,? (?:it|that|this|personally)\b",
    r"\bin my (?:experience|case|life|opinion|family|house)\b",
    r"\bpersonally,? i\b",
    r"\bi (?:went|am going|have been going) through\b",
    r"\bi (?:have|had) (?:a |the )?(?:same|similar)\b",
    r"\bi (?:have|had) (?:a|two|three|four|\d+) (?:kids|children|sons?|daughters?|dogs?|cats?|brothers?|"
    r"sisters?)\b",
    r"\bi (?:work|worked|live|lived|grew up|study|studied|teach|taught) (?:at|in|as|for|with|from|near)\b",
    r"\bmy name is\b",
    r"\bi am (?:from|a (?:mom|mother|dad|father|teacher|nurse|student|parent)|married|single|retired)\b",
    r"\bi (?:need|needed|want|wanted) (?:some|my|more|a break|time|you to (?:listen|understand|see) me|you"
    r" to stop)\b",
    r"\bwhat about me\b",
    r"\bi (?:love|like|enjoy|hate) (?:to |my |going |doing |playing |reading |cooking |watching |it when )",
    r"\bi (?:myself|personally)\b",
    r"\bi(?<!have i)(?<!did i)(?<!if i) (?:did|tried|started|found|decided|learned|took|joined|went|"
    r"got|lost|quit) (?:\w+ )?(?:it|that|"
    r"this|my|a|the|to|when|myself)\b",
    r"\bi know exactly (?:how|what) you\b",
    r"^(?:but |and |honestly,? )?i am (?:just |so |really |too |very )*(?:tired|exhausted|wiped|shat"
    r"tered|knackered|"
    r"freaking out)\b",
    r"\bi am (?:freaking out|scared|terrified|nervous|upset) too\b",
    r"\bi (?:think|feel|worry) about (?:it|that|this) too\b",
    r"\bmy side\b",
    r"^is it (?:me|something i did)\b",
    r"\bwhat did i do\b",
)
# The listener's own people and things: self-focus in a sentence that says nothing of the partner.
MY_LIFE: tuple[str, ...] = (
    r"\bmy (?:wife|husband|mother|father|dad|son|daughter|kids|children|child|sister|brother|family|job|"
    r"boss|partner|girlfriend|boyfriend|ex|dog|cat|parents|grandmother|grandfather|grandma|grandpa|friend|"
    r"friends|best friend|uncle|aunt|cousin|coworker|colleague|manager|own|experience|case|life|work|house|"
    r"home|sister's|brother's|baby|fiance|fiancee|school|college|university|office|town|city|country|"
    r"neighbou?rs?|roommates?|classmates?)\b",
)
# A clause about the listener's own life: "I have been out of work since spring".
SELF_DISCLOSURE = (
    LEAD_IN + r"(?:i|we|my \w+ and i) (?:also |too |recently |once |personally |myself |actually |still |"
    r"just |definitely |even )?(?:have (?:been|had|lost|found|worked|known|struggled|dealt|gone|done|seen|"
    r"tried|started|quit|felt)|had|was|were|used to|went|got|quit|lost|found|worked|tried|started|asked|"
    r"struggled|grew up|live|lived|work|study|studied|do (?:that|this|it|the same) too|am (?:a|an|also|too|"
    r"trying|going through|currently|still|in|from|not able|dealing|struggling|working))\b"
)
AS_MYSELF = r"\bas an? (?:\w+ ){0,3}(?:myself|mom|mother|dad|father|parent|teacher|nurse|student|woman|man)\b"
# Sentences that start with "I" but are about the partner, not the listener.
LISTENER_STANCE = (
    r"^(?:and |so |but |well |oh |yes,? |yeah,? |okay,? )*i (?:am |do |really |can |just |totally |complete"
    r"ly "
    r"|definitely |would |really do |am so |am really |am very |am truly |)?(?:understand|see|hear|get|know"
    r"|think|believe|wonder|hope|agree|imagine|"
    r"sorry|glad|happy|here|appreciate|care|feel (?:for|bad for|sorry)|can tell|can see|suggest|recommend|"
    r"would suggest|would recommend|would|could|might|want to (?:help|hear|know|understand)|love that you)\b"
)
SELF_SUBJECT = r"^(?:and |so |but |well |oh |yes,? |yeah,? |okay,? |honestly,? )*(?:i|my|me|i am|i have)\b"
ADVICE: tuple[str, ...] = (
    r"\byou(?<!what you)(?<!how you) (?:just |really |probably |definitely |seriously )?(?:should|ou"
    r"ght to|need to|"
    r"have to|gotta|got to)\b(?! (?:be[.!,?]|be$|be (?:so"
    r" )?proud|feel|not feel|never feel|know that|be (?:feeling|so|very|really|tired|exhausted)|have"
    r" (?:been|felt)|be going through|be \w+ed\b))",
    r"\byou(?<!what you)(?<!how you) must\b(?! (?:be|have|feel|not feel|know|think)\b)",
    r"\byou (?:could|might want to|may want to|might wish to)\b(?! (?:be|have been|feel|not|see|tell|say|"
    r"hear|ever|possibly|do it)\b)",
    r"\byou (?:can|could|might) (?:also|always|even)\b(?! (?:be|feel|tell|see)\b)",
    r"\byou (?:could|might|may) (?:also |always |maybe |perhaps |even |just )?(?:try|want to|wish to|"
    r"consider|look|ask|talk|speak|reach|call|find|get|go|start|join|check|see if|think about|write|make|"
    r"take|set|plan|give|tell|use|apply|search|contact|seek|let)\b",
    r"\byou can (?:also |always |even |just )?(?:try|look|ask|talk|speak|reach|call|find|get(?! (?:through|"
    r"past|over|it|this))|go|start|join|check|search|contact|use|apply|seek|write|make|take|set|plan|give|"
    r"tell|see if|visit|sign up|watch|read)\b",
    r"\b(?:i|i would|i would really|i strongly|i highly) (?:suggest|recommend|advise|encourage|urge)\b",
    r"\bi (?:think|believe|feel) (?:that )?(?:you|it would be|it might be|the"
    r" best)\b[^.?!]{0,40}\b(?:should|need to|have to|could try|best|good idea|helpful|help)\b",
    r"\bmy (?:advice|suggestion|recommendation|tip)\b",
    r"\b(?:a|one|another|my) (?:good |great |useful |helpful )?(?:tip|suggestion|idea|option|strategy|thing"
    r" you (?:can|could) do) (?:is|would be|might be|could be)\b",
    r"\b(?:it|that|this|which) (?:might|may|could|would|will|can) (?:really |also |definitely )?(?:help|be"
    r" (?:a )?(?:good|great|helpful|useful|worth|wise|smart|best|better)|make you feel better|do you good)\b",
    r"\bit (?:is|would be|might be) (?:a good idea|worth|wise|best|better|helpful|important) (?:to|if)\b",
    r"\b(?:the|your) best (?:thing|bet|option|way|move) (?:is|would be|might be|to)\b",
    r"\bif i were you\b",
    r"\bmake sure\b",
    r"\bdo not forget to\b",
    r"\bhave you (?:ever )?(?:tried|considered|thought (?:about|of))\b",
    r"\b(?:how|what) about (?:you |we )?(?:\w+ing|try|a|an|some)\b",
    r"\bwhy not\b",
    r"\b(?:maybe|perhaps) (?:you|try|consider|it would|it might|it is time|talk|ask|look|find|get|go|take|"
    r"just|think|start|write|set|make|call|reach|seeing|talking|trying|getting|finding|taking|look)\b",
    r"\bconsider (?:\w+ing|talking|getting|a|an|some|reaching)\b",
    r"\byou (?:can|will) find (?:a lot of |lots of |many |some |plenty of |a few )?(?:resources|websites|"
    r"sites|apps|programs|groups|support groups|hotlines|services|options|classes|courses|organizations|"
    r"charities|communities|forums|online)\b",
    r"\b(?:exercise|meditation|meditating|therapy|therapist|counseling|counselling|counselor|journaling|"
    r"yoga|walking|a walk|sleep|music|breathing|deep breath|deep breaths|hobbies|a hobby|volunteering|"
    r"professional help) (?:is|are|can|could|might|may|would|will|helps|help|really helps|always helps)\b",
    r"\blet us (?:not|just )?(?:try|think|make|figure|work|look|see|plan|find|go|sit|do|get|book|ski"
    r"p|call)\b",
    r"\bwe (?:should|ought to|need to|have to)\b(?! (?:talk|be)\b)",
    r"\b(?:one|another|my|first|second|an) idea\b(?! (?:of|what|how)\b)",
    r"\bidea (?:1|2|one|two)\b",
    r"\bmaybe something like\b",
    r"\bnext time,? (?:just |maybe |try to )?(?:give|tell|try|say|ask|laugh|walk|leave|ignore|call|t"
    r"ext|let)\b",
    r"\byou need (?:a |some |more )(?:proper |good |long |real )?(?:break|rest|sleep|night|holiday|vacation|"
    r"time off|day off|nap|drink)\b",
    r"\b(?:reach out|talk|speak|go|turn) to (?:a|your|someone|somebody|them|him|her|a professional|a"
    r" doctor|a therapist|a counselor|hr)\b(?![^.?!]*\b(?:did|was|were|had)\b)",
    r"\b(?:take|try taking) (?:a|some) (?:break|time off|time for yourself|deep breath|walk|day off|step"
    r" back)\b",
    r"^(?:so |and |but |well |okay |also |maybe |perhaps |just |then |first,? |now |honestly,? |look"
    r",? |listen,? "
    r"|seriously,? )*(?:try|go|talk|ask|message|ring|change|book|sort|send|laugh|block|"
    r"call|tell|write|make|take|get|find|look|consider|remember|keep|stay|focus|start|stop|give|set|put|"
    r"reach|seek|avoid|do not(?! (?:worry|stress|be sad|be upset|feel bad|cry|know))|be|think about|join|"
    r"read|use|listen|speak|contact|apply|check|search|spend|treat|eat|drink|sleep|exercise|practice|"
    r"practise|surround|distract|allow|let|pray|believe|hang|email|text|plan|schedule|research|see|visit|"
    r"buy|learn|sign|update|sit|explain|forgive|leave|quit|ignore|walk)\b(?! (?:you|of|out|me|if|us|in"
    r" there|on)\b)",
    r"\b(?:just|simply) (?:do|tell|ask|go|talk|ignore|try|be|say|let|keep|focus|take|get|make|find|m"
    r"essage|ring|text|"
    r"email|call|change|send|book|sort|laugh|leave|stop|quit|block|put|give|write|stick)\b",
    r"\b(?:you will|you would) (?:need|want) to\b",
    r"\bthe (?:key|trick|thing) is to\b",
    r"\bwhat (?:works|helps|helped) (?:for )?(?:me|many people|a lot of people)\b",
    r"\b" + _MODAL_UNASKED + r" (?:really |also |definitely |probably |"
    r"greatly |actually )?(?:help|be (?:soothing|helpful|useful|beneficial|worth))\b(?<!can help)(?!"
    r" (?:you\?|me|myself))",
    r"\b" + _MODAL_UNASKED + r" (?:really |also |definitely )?help (?:you|with|to|a lot|"
    r"reduce|relieve|ease|calm|clear|improve|take)\b",
    r"\bi (?:would|might) (?:try|do|start|look|go|talk|suggest|recommend|advise|consider|reach|see|e"
    r"mail|send|ring|"
    r"call|text|write|ask|tell|just|keep|book|get)\b",
    r"\bthe (?:important|main|first|best|key|only) (?:thing|part|step|option) (?:right now |here |to do"
    r" )?(?:is|would be) (?:to|that you)\b",
    r"\b(?:some|many|a lot of|lots of|most|other) people (?:find|try|use|look|go|have found|recommend|say"
    r" it|swear by)\b",
    r"\bthere (?:are|is) (?:a |also )?(?:\w+ ){0,2}(?:companies|jobs|ways|techniques|things you can|places|"
    r"programs|resources|websites|sites|apps|groups|hotlines|services|options|classes|courses|"
    r"organizations|charities|communities|forums|strategies|tools|books|videos|therapists|counselou?rs|"
    r"opportunities)\b",
    r"\b(?:is|are|would be)(?<!that is)(?<!it is)(?<!this is) (?:a |an )?(?:really )?(?:good|great|"
    r"excellent|wonderful) (?:idea|ideas|way|option|options|place|resource|resources|choice|outlet)\b",
    r"\b(?:maybe|perhaps) (?:\w+ )?(?:could|can|should|might)\b",
    r"\bis there (?:any ?(?:one|body)|someone|somebody) (?:you|who|that) (?:can|could)\b",
)

# Words too common to show that a reply restates the partner's content.
STOPWORDS: frozenset[str] = frozenset(
    _wordlist(
        """
        a about after again all also am an and any are as at be because been being but by can could did
        do does doing down for from get got go going gone had has have having he her here him his how i
        if in into is it its just know like me more much my no not now of off oh okay on one or other
        our out really right said say says see she should so some such than that the their them then
        there these they thing things think this those through time to too up us very want was way we
        well were what when where which while who why will with would yeah yes you your yours yourself
        lot feel feeling felt make made even still sure maybe kind sort bit little pretty quite always
        never ever every something anything nothing everything someone anyone everyone people person
        today day tell told let us mean though although okay mhm hmm um uh yep
        """
    )
)
PRONOUN_SWAP: dict[str, str] = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "am": "are",
    "we": "you", "our": "your", "us": "you",
}
