"""Common given-name short forms ("Bob" for Robert, "Peggy" for Margaret, "Mhd" for Muhammad).

A short list written for this project from general knowledge: it covers the diminutives that
customer and watch-list records most often use and that no spelling rule can find (the two
names share few letters). A name may belong to several groups ("Ted": Edward and Theodore).
"""

from __future__ import annotations

_GROUPS = """
robert bob bobby rob robbie bert
william bill billy will willy liam
richard rick ricky dick rich richie
edward ed eddie ted teddy ned
theodore ted teddy theo
james jim jimmy jamie
john jack johnny jon
jonathan jon jonny
charles charlie chuck chas
thomas tom tommy
michael mike mikey mick mickey
joseph joe joey
anthony tony
christopher chris kit
daniel dan danny
david dave davy
stephen steve stevie steven
nicholas nick nicky
alexander alex sasha sandy alec
alexandra alex sasha sandra
andrew andy drew
benjamin ben benny bibi
samuel sam sammy
matthew matt matty
patrick pat paddy
patricia pat patty tricia trish
peter pete
gregory greg
lawrence larry
leonard leo len lenny
henry harry hank
harold harry hal
howard howie
francis frank frankie
frances fran frankie
frederick fred freddie
gerald gerry jerry
jeffrey jeff geoffrey geoff
kenneth ken kenny
raymond ray
ronald ron ronnie
donald don donny
douglas doug
timothy tim timmy
vincent vince vinny
zachary zach zack
margaret maggie meg peggy peggie madge greta
elizabeth liz lizzie beth betty bette eliza libby
katherine kate katie kathy kat kitty catherine cathy
jennifer jen jenny
susan sue susie suzanne susanne
deborah deb debbie
rebecca becky becca
barbara barb barbie
dorothy dot dottie
christina chris tina christine
victoria vicky tori
jessica jess jessie
abigail abby
cynthia cindy
sandra sandy
pamela pam
judith judy
theresa terry tessa teresa
eleanor ellie nora
ellen ellie
mary molly polly mae
maria mariya masha manya
ann anne annie nancy
vladimir volodya vova
dmitry dima
yevgeny zhenya evgeny
mikhail misha
aleksandr sasha sanya alexandr
muhammad mohammad mohammed mohamed muhammed mohamad mhd mohd md
abdul abd abdel abdal
"""

NICKNAMES: dict[str, frozenset[int]] = {}
for _index, _line in enumerate(line for line in _GROUPS.splitlines() if line.strip()):
    for _name in _line.split():
        NICKNAMES[_name] = NICKNAMES.get(_name, frozenset()) | {_index}


def same_given_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are forms of one given name ("bob", "robert")."""
    ga = NICKNAMES.get(a)
    return bool(ga and ga & NICKNAMES.get(b, frozenset()))
