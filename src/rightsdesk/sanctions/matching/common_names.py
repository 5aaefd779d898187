"""Name parts that many unrelated people share, and how much a shared part says.

Two names that agree only on "Mohammad Ali" say little: millions of people are called so, and
a screening run that alerts on them buries the real hits. A part such as "Zarkari" or
"Velayati" narrows a name down to a few families. The matcher therefore needs to know which
parts are common. :data:`COMMON_PARTS` is a small table written for this project (not
copied from any data set) of given names and family names that are among the most frequent
in the languages of the sanctions lists — Arabic and Persian given names and their usual
romanisations, the most frequent English, Spanish, Portuguese, French, German, Russian and
other Slavic given names, and the handful of family names that a large share of Chinese,
Korean and Vietnamese people carry. It is deliberately short: a part missing from it is
treated as rare, which is the safe side (a missing rare part costs a match, a missing common
part does not). Counting the parts of the loaded lists instead was tried and made no
measurable difference, so the table stays the only source.

Only *whether* a part is common is used (see
``align``): frequency ranks would tie the scores to one corpus, which the scores must not be.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_PARTS = _words(
    # Arabic, Persian, Turkish, Urdu given names and their frequent romanisations.
    "muhammad mohammad mohammed mohamed mohamad muhammed mohammod mohd mhd mohamud "
    "ahmad ahmed ahmet ali aly hassan hasan hussein husain hussain hossein husayn "
    "abdul abdel abdal abd abdallah abdullah abdulla abdollah abdulrahman abdurrahman "
    "abdelrahman omar umar omer osman usman uthman othman ibrahim ebrahim brahim "
    "ismail ismael yusuf yousef youssef yusef yousif josef khalid khaled walid "
    "said saeed saeid sayed sayyid syed karim kareem rahman rahim mahmoud mahmud "
    "mustafa mostafa moustafa hamid hamed amir ameer reza mehdi mahdi jafar jaafar "
    "salim saleem salem saleh salah musa mousa isa issa yahya yahia idris ilyas "
    "nasser nasir naser tariq tarek adel adil fatima fatma aisha ayesha zainab maryam "
    "mariam khadija amina haji hajji mullah mulla sheikh shaikh gul khan aziz abdulaziz "
    "hamza hamzah bilal anwar jamal kamal faisal fahad nabil rashid rasheed majid "
    "amin ameen qasim kassem qassem yasser yasir naim nur noor din uddin ullah sultan "
    "malik bakr hadi hakim habib latif salam sattar ghani qadir kader wahid bashir nasr "
    "mansour mansur akbar asghar husayn jaber jabir shah mir wali zaman khalil farid "
    "tarik samir sami adnan ayman osama usama hamad saad saud sulaiman suleiman "
    "sulayman soliman daud dawood dawud yaqub yakub ayub ayoub harun yunus younis "
    "zakaria fahd khalifa abu abdulla abdelaziz abdulrahim abdulkarim mahmood "
    "mohamud mohammadi hassan hussain hussein hosseini ahmadi "
    # English, French, Spanish, Portuguese, Italian, German given names.
    "john james robert michael william david richard joseph thomas charles mary "
    "patricia jennifer linda elizabeth barbara susan jessica sarah karen daniel "
    "paul mark george peter anna ana maria marie jean pierre jose juan carlos luis "
    "jorge antonio manuel francisco pedro miguel javier giuseppe giovanni marco "
    "hans klaus peter wolfgang michel philippe andre alain "
    # Russian, Ukrainian and other Slavic given names.
    "alexander aleksandr aleksander alexandr sergey sergei serhiy vladimir volodymyr "
    "andrey andrei andriy dmitry dmitri dmitriy alexey aleksey oleksiy nikolay nikolai "
    "mykola ivan igor yuri yury yuriy viktor victor mikhail evgeny yevgeny olga elena "
    "olena tatiana natalia irina svetlana anna "
    # Family names that a large share of Chinese, Korean and Vietnamese people carry.
    "wang li zhang liu chen yang huang zhao wu zhou kim lee park choi jung nguyen "
    "tran le pham"
)


def is_common(part: str) -> bool:
    """Whether many unrelated people carry this name part."""
    return part in COMMON_PARTS


__all__ = ["COMMON_PARTS", "is_common"]
