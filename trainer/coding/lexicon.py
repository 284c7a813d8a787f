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
WH_ANYWHERE = r"\b(?:what|how|why|when|where|who|which)\b"

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
)
DEFENSIVENESS: tuple[str, ...] = (
    r"\b(?:that is|it is|this is) (?:not|so not) fair\b",
    r"\bi was (?:only|just) (?:trying|saying|joking|being honest|asking)\b",
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
    r"\byou (?:always|never) (?:do|say|make|blame|complain|forget|listen|help|start|get|act|want|take)\b",
    r"\bi had (?:my|a good|good) reasons?\b",
    r"\b(?:why|how) are you (?:mad|angry|upset|yelling) at me\b",
    r"\bi am not the (?:bad guy|one who)\b",
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
    r"\bso (?:now )?it is my fault\b",
    r"\bthat is not true\b",
    r"\b(?:it|that) was (?:just |only )?(?:a joke|joking|banter|a bit of fun)\b",
    r"\bi was (?:just |only )?trying to help\b",
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
    r"\bget over (?:it|yourself|him|her)\b",
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
    r"\bstop (?:complaining|whining|crying|worrying|being|moaning|feeling sorry)\b",
    r"\b(?:it is|that is) (?:all )?in your head\b",
    r"\byou should (?:not|never) (?:feel|be (?:so |that )?(?:upset|sad|angry|worried|bothered)|worry|let"
    r" (?:it|that|this))\b",
    r"\b(?:that is|it is|you are being) (?:just )?(?:silly|ridiculous|stupid|irrational|nothing|no big"
    r" deal)\b",
    r"\bwhat is the big deal\b",
    r"\beverything happens for a reason\b",
    r"\b(?:it|that|this) is not (?:that|so) deep\b",
    r"\b(?:everyone|everybody|we all) (?:goes|go|has gone|have gone|went) through (?:that|this|it)\b",
    r"\bno point (?:in )?(?:getting|being|feeling) (?:upset|worked up|angry|sad|mad|stressed)\b",
    r"\bi am sure (?:she|he|they|it) (?:did not mean|had (?:a |her |his |their |good )?reasons?|meant well)",
    r"\b(?:maybe|perhaps|probably) (?:she|he|they) (?:did not mean|was just|were just|did not realize|meant"
    r" well)",
    r"\bi (?:would not|would never) worry\b",
    r"\b(?:think|be|stay) positive\b",
    r"\bcount your blessings\b",
    r"\bit is what it is\b",
    r"\bthat is (?:just )?life\b",
    r"\bnot the end of the world\b",
    r"\byou should be (?:grateful|thankful|happy|glad)\b",
    r"\byou do not (?:really )?(?:mean|feel) that\b",
    r"\bthat is not (?:true|what happened|how it (?:is|was|works))\b",
    r"\byou will (?:get over|be (?:fine|okay|alright))\b",
    r"\byou are (?:fine|wrong)\b",
    r"\bwhy (?:are|would) you (?:so |even |getting )?(?:upset|worried|bothered|mad|angry|sad|stressed)\b",
    r"\bit (?:is|was) (?:only|just) (?:a|one|some)\b",
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
VALIDATION_BUT = r"\b(?:but|however|though|although|yet|still)\b"
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
