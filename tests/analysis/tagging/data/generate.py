# ruff: noqa: E501 - phrase banks read best one sentence a line
"""Generate the labelled set (``labelled.jsonl``) and the tagger's shipped training
examples (``src/baken/analysis/tagging/data/examples.jsonl``).

Everything is FICTIONAL: sentences are drawn from phrase banks per GA I&V theme, in Dutch
and English, with invented names. The two files come from disjoint seeds and the test
set draws half its phrases from a held-out half of each bank, so the nearest-example
part of the tagger never sees a test sentence. Run from the repository root:

    .venv/bin/python tests/analysis/tagging/data/generate.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

NAMES = ["Korvin", "Alder", "Mirak", "Tesselaar", "Oberon", "Zandvliet", "Kestrel", "Vanta"]
PLACES = ["Port Nadir", "Velmar", "Ostrava-Zuid", "Kaldera", "Noorderhaven", "Sirte-Oost"]

BANKS: dict[str, dict[str, list[str]]] = {
    "RUS": {
        "nl": [
            "Een officier van de Russische militaire inlichtingendienst GRU benaderde {n} in {p}.",
            "Het Kremlin financiert via tussenpersonen een beïnvloedingscampagne rond {n}.",
            "Moskou zet diplomaten in als dekmantel voor spionage bij {n}.",
            "Een Russisch schip bracht onderzeese kabels nabij {p} in kaart.",
            "De FSB probeert Nederlandse studenten van {n} te rekruteren.",
            "Russische desinformatie over de oorlog in Oekraïne verspreidt zich via {n}.",
        ],
        "en": [
            "A Russian GRU officer approached {n} in {p}.",
            "The Kremlin funds an influence campaign around {n} through intermediaries.",
            "Moscow uses diplomats as cover for espionage against {n}.",
            "A Russian vessel mapped undersea cables near {p}.",
            "The FSB tries to recruit Dutch students at {n}.",
            "Russian disinformation about the war in Ukraine spreads through {n}.",
        ],
    },
    "CHN": {
        "nl": [
            "Het Chinese ministerie van Staatsveiligheid benaderde onderzoeker {n} via LinkedIn.",
            "Een Chinees bedrijf met banden met het Volksbevrijdingsleger zocht contact met {n}.",
            "Beijing oefent druk uit op de Chinese diaspora in {p} via het Verenigd Front.",
            "Chinese studenten bij {n} kregen instructies van de ambassade.",
            "Peking zoekt toegang tot Nederlandse kennis over Taiwan via {n}.",
            "Een delegatie uit China bezocht {n} zonder aankondiging.",
        ],
        "en": [
            "China's Ministry of State Security approached researcher {n} on LinkedIn.",
            "A Chinese company tied to the PLA sought contact with {n}.",
            "Beijing pressures the Chinese diaspora in {p} through the United Front.",
            "Chinese students at {n} received instructions from the embassy.",
            "Beijing seeks access to Dutch knowledge about Taiwan through {n}.",
            "A delegation from China visited {n} unannounced.",
        ],
    },
    "MOO": {
        "nl": [
            "Iran laat criminelen in {p} dissidenten volgen in opdracht van de Revolutionaire Garde.",
            "Hezbollah haalt geld op via een stichting van {n}.",
            "De Houthi's in Jemen dreigen met aanvallen op schepen bij {p}.",
            "Een Iraanse agent zocht contact met {n} over een exiloppositielid.",
            "Syrische strijders keren terug uit Irak via {p}.",
            "Teheran breidt zijn netwerk in Libanon uit via {n}.",
        ],
        "en": [
            "Iran has criminals in {p} follow dissidents on behalf of the Revolutionary Guard.",
            "Hezbollah raises money through a foundation run by {n}.",
            "The Houthis in Yemen threaten to attack ships near {p}.",
            "An Iranian agent contacted {n} about an exiled opposition member.",
            "Syrian fighters return from Iraq via {p}.",
            "Tehran expands its network in Lebanon through {n}.",
        ],
    },
    "VEN": {
        "nl": [
            "Venezolaanse colectivos zijn actief op Curaçao rond {n}.",
            "Het regime-Maduro zet druk op Aruba via {n}.",
            "Vluchtelingen uit Venezuela komen via {p} naar Bonaire.",
            "Caracas stuurt marineschepen naar de wateren bij het Caribisch deel van het Koninkrijk.",
            "Een Venezolaanse functionaris ontmoette {n} op Curaçao.",
            "Smokkel van brandstof tussen Venezuela en Aruba loopt via {n}.",
        ],
        "en": [
            "Venezuelan colectivos are active on Curaçao around {n}.",
            "The Maduro regime puts pressure on Aruba through {n}.",
            "Refugees from Venezuela reach Bonaire via {p}.",
            "Caracas sends naval vessels to the waters of the Caribbean part of the Kingdom.",
            "A Venezuelan official met {n} on Curaçao.",
            "Fuel smuggling between Venezuela and Aruba runs through {n}.",
        ],
    },
    "EW": {
        "nl": [
            "In de Sahel wijzen troepenbewegingen bij {p} op een mogelijke staatsgreep.",
            "Gewapende groepen in Mali rukken op naar {p}; escalatie is waarschijnlijk.",
            "In Libië mobiliseren milities rond {p}, nabij het missiegebied.",
            "Een grensincident bij {p} in Niger kan leiden tot verdere escalatie.",
            "Vroege signalen van onrust in Noord-Afrika rond {n}.",
            "De junta in {p} verdrijft buitenlandse waarnemers uit het missiegebied.",
        ],
        "en": [
            "In the Sahel, troop movements near {p} point to a possible coup.",
            "Armed groups in Mali advance on {p}; escalation is likely.",
            "In Libya, militias mobilise around {p}, close to the mission area.",
            "A border incident near {p} in Niger may lead to further escalation.",
            "Early signs of unrest in North Africa around {n}.",
            "The junta in {p} expels foreign observers from the mission area.",
        ],
    },
    "CP": {
        "nl": [
            "Een tussenhandelaar van {n} probeert centrifugeonderdelen voor uraniumverrijking te kopen.",
            "Een land probeert via {p} dual-use goederen voor een kernwapenprogramma te verwerven.",
            "{n} levert mogelijk onderdelen voor ballistische raketten als overbrengingsmiddel.",
            "Een laboratorium bij {p} werkt mogelijk aan een chemisch wapen.",
            "Inkoopnetwerk {n} omzeilt controles op nucleaire goederen.",
            "Proliferatiegevoelige kennis over biologische wapens lekt via {n}.",
        ],
        "en": [
            "A middleman of {n} tries to buy centrifuge parts for uranium enrichment.",
            "A state tries to acquire dual-use goods for a nuclear weapons programme via {p}.",
            "{n} may supply parts for ballistic missiles as a delivery system.",
            "A laboratory near {p} may be working on a chemical weapon.",
            "Procurement network {n} evades controls on nuclear goods.",
            "Proliferation-sensitive knowledge about biological weapons leaks through {n}.",
        ],
    },
    "ET": {
        "nl": [
            "Een jihadistische jongere uit {p} deelt plannen voor een aanslag in een chatgroep.",
            "Rechts-extremistische online netwerken rond {n} verheerlijken geweld.",
            "Een terugkeerder uit Syrië ronselt in {p} voor Islamitische Staat.",
            "Een accelerationistische groep rond {n} verzamelt wapens.",
            "Anti-institutionele extremisten bedreigen een burgemeester in {p}.",
            "{n} radicaliseert snel en zoekt contact met terroristen.",
        ],
        "en": [
            "A jihadist youth from {p} shares plans for an attack in a chat group.",
            "Far-right online networks around {n} glorify violence.",
            "A returnee from Syria recruits for Islamic State in {p}.",
            "An accelerationist group around {n} collects weapons.",
            "Anti-institutional extremists threaten a mayor in {p}.",
            "{n} is radicalising fast and seeks contact with terrorists.",
        ],
    },
    "MT": {
        "nl": [
            "{n} test een nieuwe hypersone raket bij {p}.",
            "Een nieuw luchtverdedigingssysteem met langeafstandsradar is gezien bij {p}.",
            "De marine van {n} bouwt een stillere onderzeeër.",
            "Massale inzet van goedkope drones verandert de tactiek bij {p}.",
            "{n} ontwikkelt elektronische oorlogvoering tegen satellietnavigatie.",
            "Munitieproductie bij {n} verdubbelt dit jaar.",
        ],
        "en": [
            "{n} tests a new hypersonic missile near {p}.",
            "A new air defence system with long-range radar was seen near {p}.",
            "The navy of {n} is building a quieter submarine.",
            "Mass use of cheap drones changes tactics near {p}.",
            "{n} develops electronic warfare against satellite navigation.",
            "Munition production at {n} doubles this year.",
        ],
    },
    "EV": {
        "nl": [
            "Een staatsfonds probeert chipmachinefabrikant {n} over te nemen; een investeringstoets volgt.",
            "Kennisveiligheid: een buitenlandse partner van {n} wil toegang tot gevoelig onderzoek.",
            "Bedrijfsspionage bij halfgeleiderbedrijf {n} in {p}.",
            "De toeleveringsketen van kritieke grondstoffen via {p} is kwetsbaar.",
            "{n} omzeilt sancties door goederen via {p} te leveren.",
            "Een overname van een haventerminal in {p} raakt vitale infrastructuur.",
        ],
        "en": [
            "A sovereign fund tries to take over chip machine maker {n}; an investment screening follows.",
            "Knowledge security: a foreign partner of {n} wants access to sensitive research.",
            "Industrial espionage at semiconductor firm {n} in {p}.",
            "The supply chain of critical raw materials through {p} is vulnerable.",
            "{n} evades sanctions by shipping goods through {p}.",
            "A takeover of a port terminal in {p} affects critical infrastructure.",
        ],
    },
    "CYB": {
        "nl": [
            "Een statelijke hackersgroep drong binnen bij {n} via een kwetsbaarheid in de VPN.",
            "Ransomware legde de systemen van {n} in {p} plat.",
            "Phishingmails met malware gingen naar medewerkers van {n}.",
            "Een botnet voerde een DDoS-aanval uit op websites in {p}.",
            "Spionagesoftware op de telefoon van {n} stuurde gegevens naar een command-and-control-server.",
            "Gestolen wachtwoorden van {n} worden verkocht op een forum.",
        ],
        "en": [
            "A state hacker group broke into {n} through a vulnerability in the VPN.",
            "Ransomware took down the systems of {n} in {p}.",
            "Phishing emails with malware went to staff of {n}.",
            "A botnet ran a DDoS attack on websites in {p}.",
            "Spyware on the phone of {n} sent data to a command-and-control server.",
            "Stolen credentials of {n} are sold on a forum.",
        ],
    },
    "CN": {
        "nl": [
            "Een crimineel netwerk rond {n} smokkelt cocaïne via de haven van {p}.",
            "Havenmedewerkers in {p} worden omgekocht door {n}.",
            "{n} witwast drugsgeld via vastgoed in {p}.",
            "Een liquidatie in {p} hangt samen met een conflict binnen het netwerk van {n}.",
            "Ondermijning: {n} zet lokale bestuurders onder druk met afpersing.",
            "Een drugslijn van {n} loopt via {p} naar Zuid-Amerika.",
        ],
        "en": [
            "A criminal network around {n} smuggles cocaine through the port of {p}.",
            "Port workers in {p} are bribed by {n}.",
            "{n} launders drug money through real estate in {p}.",
            "An assassination in {p} is tied to a conflict within the network of {n}.",
            "Organised crime: {n} pressures local officials through extortion.",
            "A drug trafficking line of {n} runs via {p} to South America.",
        ],
    },
    "HT1": {
        "nl": [
            "De gereedheid van de krijgsmacht voor bondgenootschappelijke verdediging aan de oostflank van de NAVO.",
            "Een NAVO-oefening bij {p} toetst de inzetbaarheid van eenheden.",
            "Force protection voor Nederlandse eenheden in {p} vraagt extra inlichtingen.",
            "De krijgsmacht bereidt zich voor op een beroep op artikel 5.",
            "Inzetbaarheid van de landmacht bij {p} blijft achter.",
            "Bondgenoten vragen Nederland om meer eenheden aan de oostflank.",
        ],
        "en": [
            "The readiness of the armed forces for collective defence on NATO's eastern flank.",
            "A NATO exercise near {p} tests the deployability of units.",
            "Force protection for Dutch units in {p} needs more intelligence.",
            "The armed forces prepare for an appeal to Article 5.",
            "Deployability of the army near {p} lags behind.",
            "Allies ask the Netherlands for more units on the eastern flank.",
        ],
    },
}

# Sentences that belong to no theme: the tagger must leave them alone.
NONE: dict[str, list[str]] = {
    "nl": [
        "De kantine in {p} is volgende week gesloten wegens een verbouwing.",
        "{n} vraagt een nieuw toegangspasje aan bij de facilitaire dienst.",
        "Het jaarlijkse personeelsuitje gaat dit jaar naar {p}.",
        "De vergadering over de huisvesting is verplaatst naar donderdag.",
        "{n} gaat met pensioen; er is een afscheidsreceptie.",
        "De printer op de derde verdieping is weer defect.",
    ],
    "en": [
        "The canteen in {p} is closed next week for renovation.",
        "{n} requests a new access pass from facilities.",
        "This year's staff outing goes to {p}.",
        "The meeting about housing moved to Thursday.",
        "{n} retires; there is a farewell reception.",
        "The printer on the third floor is broken again.",
    ],
}

FILLER = {
    "nl": [
        "Bron: open bronnen, beoordeling B2.",
        "Het betreft een eerste melding.",
        "Nader onderzoek is gaande.",
        "De informatie is niet bevestigd.",
        "",
    ],
    "en": [
        "Source: open sources, rated B2.",
        "This is a first report.",
        "Further investigation is under way.",
        "The information is unconfirmed.",
        "",
    ],
}


def _fill(rng: random.Random, text: str) -> str:
    return text.format(n=rng.choice(NAMES), p=rng.choice(PLACES))


def _item(
    rng: random.Random, lang: str, phrases: list[str], themes: list[str]
) -> dict[str, object]:
    body = " ".join(_fill(rng, p) for p in phrases)
    tail = rng.choice(FILLER[lang])
    return {"lang": lang, "text": f"{body} {tail}".strip(), "themes": themes}


def build(seed: int, per_theme: int, half: str) -> list[dict[str, object]]:
    """``half``: "train" draws from the first four phrases of a bank, "test" from all
    six (so two of every six test phrases were never seen in training)."""
    rng = random.Random(seed)  # reproducible fiction, not a secret
    out: list[dict[str, object]] = []
    for theme, bank in BANKS.items():
        for k in range(per_theme):
            lang = "nl" if k % 2 == 0 else "en"
            pool = bank[lang][:4] if half == "train" else bank[lang]
            phrases = rng.sample(pool, rng.choice([1, 1, 2]))
            themes = [theme]
            if half == "test" and k % 8 == 7:  # a few items about two themes
                other = rng.choice([t for t in BANKS if t != theme])
                phrases.append(rng.choice(BANKS[other][lang]))
                themes.append(other)
            out.append(_item(rng, lang, phrases, themes))
    for k in range(per_theme * 2):
        lang = "nl" if k % 2 == 0 else "en"
        out.append(_item(rng, lang, [rng.choice(NONE[lang])], []))
    rng.shuffle(out)
    return out


def main() -> None:
    root = Path(__file__).resolve().parents[4]
    test = build(seed=7, per_theme=24, half="test")
    train = build(seed=2026, per_theme=8, half="train")
    for path, rows in (
        (Path(__file__).with_name("labelled.jsonl"), test),
        (root / "src/baken/analysis/tagging/data/examples.jsonl", train),
    ):
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
