"""Stopwords of the languages the default rules cover: how prose tells itself from lists."""

from __future__ import annotations

_BY_LANGUAGE: dict[str, str] = {
    "en": """a about after all also an and any are as at be been but by can could did do
        does for from had has have he her his how i if in into is it its may more most my
        no not of on one or our out over said she so some than that the their them then
        there these they this those to under up was we were what when where which while
        who will with would you your""",
    "de": """aber als am an auch auf aus bei bis das dass dem den der des die doch durch ein
        eine einem einen einer es für hat hatte ich ihr im in ist kann mit nach nicht noch
        nur oder sein sich sie sind so um und uns von vor war wie wir wird wurde zu zum zur""",
    "fr": """à au aux avec ce ces cette dans de des du elle en est et il ils je la le les
        leur lui mais ne nous on ont ou par pas plus pour qu que qui sa se ses son sont sur
        un une été était""",
    "es": """a al como con de del el ella en entre es esta este fue ha han la las le lo los
        más no o para pero por que se ser sin sobre su sus también un una y ya""",
    "pt": """a ao aos as com como da das de do dos e ela ele em entre era foi há isso mais
        mas na nas no nos o os ou para pela pelo por que se sem ser seu sua também um uma""",
    "it": """a al alla anche che con da dal dei del della di e è gli ha i il in la le lo ma
        nel nella non per più si sono su tra un una""",
    "id": """ada adalah akan bagi bahwa belum dalam dan dari dengan di ini itu juga kami
        karena ke kepada mereka oleh pada saat sebagai sudah tersebut tidak untuk yang""",
    "nl": """aan als bij dat de den der des die dit een en er het hij in is je met naar niet
        of om ook op te tot uit van voor was wat werd wordt zijn""",
    "pl": """a aby ale bo był była było być czy dla do gdy go i ich jak jest jego jej już
        ma może na nie o od oraz po pod przez przy się są ta tak te to tylko w we z za że
        także jako który która które""",
    "ru": """а без более бы был была были было в вы да для до его ее её если есть еще ещё же
        за и из или их к как когда ли на над не нет но о об он она они от по под после при
        с со так также то только у уже что чтобы эта это этот я""",
}

STOPWORDS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _BY_LANGUAGE.items()
}
STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS_BY_LANGUAGE.values())
