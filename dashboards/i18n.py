"""Every string a reader sees, per language (Finnish first; Swedish and English ready).

Kept apart from the layout so the language switch (a later step) only has to pick another
dictionary, and so a translator can work on one file. Templates use ``{name}`` fields;
:func:`fill` turns them into Dash children when a field must be a link or ``<code>``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

LANGS = ("fi", "sv", "en")

FEEDBACK_EMAIL = "digituki@example.invalid"
LICENCE_URL = {
    "fi": "https://creativecommons.org/licenses/by/4.0/deed.fi",
    "sv": "https://creativecommons.org/licenses/by/4.0/deed.sv",
    "en": "https://creativecommons.org/licenses/by/4.0/",
}
SUPERVISOR_URL = "https://www.saavutettavuusvaatimukset.fi"
REFRESH_COMMAND = "digiindicators refresh"
MAKE_COMMAND = "make dashboard"

TEXTS: dict[str, dict[str, Any]] = {
    "fi": {
        "app_title": "Digitaalinen osallisuus Pohjois-Pohjanmaalla",
        "service_name": "Digikuilun tilannekuva",
        "region_name": "Pohjois-Pohjanmaa",
        "noscript": "Tämä sivu tarvitsee toimiakseen JavaScriptin.",
        "skip_link": "Siirry pääsisältöön",
        "h1": "Digitaalinen osallisuus Pohjois-Pohjanmaalla",
        "lead": (
            "Vertaa maakunnan 30 kuntaa tilastoilla, jotka kertovat digitaalisen "
            "syrjäytymisen riskistä: ikärakenne, koulutus, tulot, työllisyys ja kieli. "
            "Valitse teema, indikaattori ja vuosi."
        ),
        "controls_heading": "Valinnat",
        "label_theme": "Teema",
        "all_themes": "Kaikki teemat",
        "label_indicator": "Indikaattori",
        "label_year": "Vuosi",
        "chart_heading": "{title} kunnittain vuonna {year}",
        "direction": {
            "higher_is_worse": (
                "Suurempi arvo viittaa suurempaan digitaalisen syrjäytymisen riskiin."
            ),
            "higher_is_better": (
                "Suurempi arvo viittaa pienempään digitaalisen syrjäytymisen riskiin."
            ),
            "neutral": "Luku kuvaa taustaa; sen suuruus ei sellaisenaan kerro riskistä.",
        },
        "summary": "{title} vuonna {year}: suurin {max}, pienin {min}{refs}.",
        "summary_all_equal": "{title} vuonna {year}: kaikissa kunnissa {value}{refs}.",
        "summary_none": "{title} vuonna {year}: kuntakohtaisia tietoja ei ole{refs}.",
        "country": "koko maa",
        "missing": "Ei tietoa: {names}.",
        "estimates": "Merkki e: laskennallinen arvio; epävarmuusväli näkyy kuviossa ja taulukossa.",
        "see_table": "Luvut taulukkona",
        "download_png": "Tallenna kuvio kuvana (PNG)",
        "table_heading": "Luvut taulukkona",
        "table_caption": "{title} vuonna {year}: kunnat, maakunta ja koko maa",
        "col_area": "Alue",
        "col_value": "Arvo",
        "col_unit": "Yksikkö",
        "col_status": "Merkki",
        "col_interval": "Epävarmuusväli",
        "col_source": "Lähde",
        "no_value": "ei tietoa",
        "legend_heading": "Merkkien selitykset",
        "status": {
            "..": "tieto puuttuu tai on liian epävarma",
            "...": "salassapitosäännön alainen",
            ".": "loogisesti mahdoton",
            "e": "laskennallinen arvio",
        },
        "source_one": "Lähde: {sources}.",
        "source_many": "Lähteet: {sources}.",
        "computed": "Laskettu kuntien luvuista: {names}.",
        "licence": "Lisenssi: {licence}.",
        "refreshed": "Tiedot päivitetty: {date}.",
        "refreshed_unknown": "ei tiedossa",
        "no_data": "Valitulle indikaattorille ja vuodelle ei ole tietoja.",
        "no_indicators": "Aineistossa ei ole yhtään kuntatason indikaattoria näytettäväksi.",
        "demo_title": "Esimerkkiaineisto — luvut eivät ole todellisia tilastoja",
        "demo_body": (
            "Sivun luvut ovat esittelyä varten. Hae oikeat tilastot komennolla {refresh} "
            "tai, kun internetyhteys on käytössä, komennolla {make}. Tiedot tallentuvat "
            "hakemistoon {cache}."
        ),
        "stale_title": "Osa tiedoista voi olla vanhentunutta",
        "stale_body": (
            "Seuraavien lähteiden tietoja ei saatu päivitettyä: {sources}. Sivulla näkyvät "
            "viimeksi onnistuneesti haetut tiedot. Yritä uudelleen komennolla {refresh}."
        ),
        "footer_nav": "Lisätietoja palvelusta",
        "statement_link": "Saavutettavuusseloste",
        "feedback_link": "Anna palautetta",
        "footer_licence": (
            "Tilastotiedot: Tilastokeskus ja Terveyden ja hyvinvoinnin laitos, lisenssi CC BY 4.0."
        ),
        "units": {"%": "%", "henkilöä": "henkilöä", "euroa": "euroa", "indeksi": "indeksi"},
        "unit_axis": {
            "%": "prosenttia",
            "henkilöä": "henkilöä",
            "euroa": "euroa",
            "indeksi": "indeksi",
        },
        "not_found_title": "Sivua ei löytynyt",
        "not_found_body": "Tässä osoitteessa ei ole sivua.",
        "back_home": "Takaisin etusivulle",
        "statement_title": "Saavutettavuusseloste",
        "statement": [
            ("p", (
                "Tämä seloste koskee Digikuilun tilannekuva -palvelua (digiindicators). "
                "Palvelua koskee laki digitaalisten palvelujen tarjoamisesta (306/2019). "
                "Tavoitteena on täyttää WCAG 2.1 -ohjeiston A- ja AA-tason vaatimukset."
            )),
            ("h2", "Vaatimustenmukaisuus"),
            ("p", "Palvelu täyttää saavutettavuusvaatimukset osittain."),
            ("h2", "Sisältö, joka ei ole saavutettavaa"),
            ("ul", [
                (
                    "Kuvioita ei voi tutkia näppäimistöllä eikä ruudunlukijalla "
                    "(WCAG 1.1.1 ja 2.1.1). Kuvion keskeinen sisältö on kuvatekstissä, "
                    "ja kaikki luvut ovat taulukossa kuvion alla."
                ),
                (
                    "Kuvion vihjetekstit avautuvat vain hiirellä (WCAG 1.4.13). Samat "
                    "tiedot ovat taulukossa."
                ),
            ]),
            ("h2", "Miten saavutettavuus on arvioitu"),
            ("p", (
                "Seloste on laadittu itsearviointina. Sivut tarkistetaan automaattisesti "
                "axe-core-työkalulla (WCAG 2.1 A ja AA) kolmella näytön leveydellä, ja "
                "näppäimistökäyttö testataan. Seloste on luonnos: sen päiväys lisätään, kun "
                "palvelu julkaistaan."
            )),
            ("h2", "Palaute ja yhteystiedot"),
            ("p", (
                "Jos huomaat saavutettavuuspuutteen, kerro siitä sähköpostilla "
                "osoitteeseen {email}. Vastaamme 14 päivän kuluessa."
            )),
            ("h2", "Valvontaviranomainen"),
            ("p", (
                "Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden "
                "viikon aikana, voit tehdä ilmoituksen Liikenne- ja viestintävirasto "
                "Traficomiin. Lisätietoja: {supervisor}."
            )),
        ],
    },
    "sv": {
        "app_title": "Digital delaktighet i Norra Österbotten",
        "service_name": "Lägesbild över den digitala klyftan",
        "region_name": "Norra Österbotten",
        "noscript": "Den här sidan behöver JavaScript för att fungera.",
        "skip_link": "Gå till huvudinnehållet",
        "h1": "Digital delaktighet i Norra Österbotten",
        "lead": (
            "Jämför landskapets 30 kommuner med statistik som berättar om risken för digitalt "
            "utanförskap: åldersstruktur, utbildning, inkomster, sysselsättning och språk. "
            "Välj tema, indikator och år."
        ),
        "controls_heading": "Val",
        "label_theme": "Tema",
        "all_themes": "Alla teman",
        "label_indicator": "Indikator",
        "label_year": "År",
        "chart_heading": "{title} per kommun år {year}",
        "direction": {
            "higher_is_worse": "Ett högre värde tyder på en större risk för digitalt utanförskap.",
            "higher_is_better": "Ett högre värde tyder på en mindre risk för digitalt utanförskap.",
            "neutral": "Talet beskriver bakgrunden; dess storlek säger i sig inget om risken.",
        },
        "summary": "{title} år {year}: högst {max}, lägst {min}{refs}.",
        "summary_all_equal": "{title} år {year}: i alla kommuner {value}{refs}.",
        "summary_none": "{title} år {year}: uppgifter per kommun saknas{refs}.",
        "country": "hela landet",
        "missing": "Uppgift saknas: {names}.",
        "estimates": (
            "Tecknet e: beräknad uppskattning; osäkerhetsintervallet visas i figuren och "
            "tabellen."
        ),
        "see_table": "Siffrorna i tabellform",
        "download_png": "Spara figuren som bild (PNG)",
        "table_heading": "Siffrorna i tabellform",
        "table_caption": "{title} år {year}: kommunerna, landskapet och hela landet",
        "col_area": "Område",
        "col_value": "Värde",
        "col_unit": "Enhet",
        "col_status": "Tecken",
        "col_interval": "Osäkerhetsintervall",
        "col_source": "Källa",
        "no_value": "uppgift saknas",
        "legend_heading": "Teckenförklaring",
        "status": {
            "..": "uppgift saknas eller är för osäker",
            "...": "sekretessbelagd",
            ".": "logiskt omöjlig",
            "e": "beräknad uppskattning",
        },
        "source_one": "Källa: {sources}.",
        "source_many": "Källor: {sources}.",
        "computed": "Beräknat från kommunernas siffror: {names}.",
        "licence": "Licens: {licence}.",
        "refreshed": "Uppgifterna uppdaterade: {date}.",
        "refreshed_unknown": "okänt",
        "no_data": "Det finns inga uppgifter för den valda indikatorn och det valda året.",
        "no_indicators": "Materialet innehåller ingen indikator på kommunnivå att visa.",
        "demo_title": "Exempeldata — siffrorna är inte verklig statistik",
        "demo_body": (
            "Siffrorna på sidan är avsedda för demonstration. Hämta verklig statistik med "
            "kommandot {refresh} eller, när internetförbindelsen fungerar, med {make}. "
            "Uppgifterna sparas i katalogen {cache}."
        ),
        "stale_title": "En del uppgifter kan vara föråldrade",
        "stale_body": (
            "Uppgifterna från följande källor kunde inte uppdateras: {sources}. Sidan visar de "
            "senast hämtade uppgifterna. Försök igen med kommandot {refresh}."
        ),
        "footer_nav": "Mer om tjänsten",
        "statement_link": "Tillgänglighetsutlåtande",
        "feedback_link": "Ge respons",
        "footer_licence": (
            "Statistik: Statistikcentralen och Institutet för hälsa och välfärd, licens CC BY 4.0."
        ),
        "units": {"%": "%", "henkilöä": "personer", "euroa": "euro", "indeksi": "index"},
        "unit_axis": {"%": "procent", "henkilöä": "personer", "euroa": "euro", "indeksi": "index"},
        "not_found_title": "Sidan hittades inte",
        "not_found_body": "Det finns ingen sida på den här adressen.",
        "back_home": "Tillbaka till startsidan",
        "statement_title": "Tillgänglighetsutlåtande",
        "statement": [
            ("p", (
                "Detta utlåtande gäller tjänsten Lägesbild över den digitala klyftan "
                "(digiindicators). Tjänsten omfattas av lagen om tillhandahållande av digitala "
                "tjänster (306/2019). Målet är att uppfylla nivåerna A och AA i WCAG 2.1."
            )),
            ("h2", "Överensstämmelse"),
            ("p", "Tjänsten uppfyller tillgänglighetskraven delvis."),
            ("h2", "Innehåll som inte är tillgängligt"),
            ("ul", [
                (
                    "Figurerna kan inte utforskas med tangentbord eller skärmläsare (WCAG 1.1.1 "
                    "och 2.1.1). Det väsentliga står i figurtexten och alla siffror finns i "
                    "tabellen under figuren."
                ),
                (
                    "Figurernas verktygstips öppnas bara med mus (WCAG 1.4.13). Samma uppgifter "
                    "finns i tabellen."
                ),
            ]),
            ("h2", "Hur tillgängligheten har bedömts"),
            ("p", (
                "Utlåtandet bygger på en självbedömning. Sidorna kontrolleras automatiskt med "
                "axe-core (WCAG 2.1 A och AA) i tre skärmbredder och användning med tangentbord "
                "testas. Utlåtandet är ett utkast: datum läggs till när tjänsten publiceras."
            )),
            ("h2", "Respons och kontaktuppgifter"),
            ("p", (
                "Om du upptäcker en tillgänglighetsbrist, meddela oss per e-post till {email}. "
                "Vi svarar inom 14 dagar."
            )),
            ("h2", "Tillsynsmyndighet"),
            ("p", (
                "Om du inte är nöjd med svaret eller inte får svar inom två veckor kan du göra en "
                "anmälan till Transport- och kommunikationsverket Traficom. Mer information: "
                "{supervisor}."
            )),
        ],
    },
    "en": {
        "app_title": "Digital inclusion in North Ostrobothnia",
        "service_name": "Digital divide overview",
        "region_name": "North Ostrobothnia",
        "noscript": "This page needs JavaScript to work.",
        "skip_link": "Skip to main content",
        "h1": "Digital inclusion in North Ostrobothnia",
        "lead": (
            "Compare the region's 30 municipalities on statistics that indicate the risk of "
            "digital exclusion: age structure, education, income, employment and language. "
            "Choose a theme, an indicator and a year."
        ),
        "controls_heading": "Choices",
        "label_theme": "Theme",
        "all_themes": "All themes",
        "label_indicator": "Indicator",
        "label_year": "Year",
        "chart_heading": "{title} by municipality, {year}",
        "direction": {
            "higher_is_worse": "A higher value suggests a higher risk of digital exclusion.",
            "higher_is_better": "A higher value suggests a lower risk of digital exclusion.",
            "neutral": (
                "The figure describes the background; its size alone says nothing about risk."
            ),
        },
        "summary": "{title} in {year}: highest {max}, lowest {min}{refs}.",
        "summary_all_equal": "{title} in {year}: {value} in every municipality{refs}.",
        "summary_none": "{title} in {year}: no municipal figures{refs}.",
        "country": "Finland",
        "missing": "No data: {names}.",
        "estimates": (
            "Symbol e: modelled estimate; its uncertainty interval is shown in the chart and "
            "table."
        ),
        "see_table": "Figures as a table",
        "download_png": "Save the chart as an image (PNG)",
        "table_heading": "Figures as a table",
        "table_caption": "{title} in {year}: municipalities, region and Finland",
        "col_area": "Area",
        "col_value": "Value",
        "col_unit": "Unit",
        "col_status": "Symbol",
        "col_interval": "Uncertainty interval",
        "col_source": "Source",
        "no_value": "no data",
        "legend_heading": "Symbols",
        "status": {
            "..": "data not available or too uncertain",
            "...": "confidential",
            ".": "logically impossible",
            "e": "modelled estimate",
        },
        "source_one": "Source: {sources}.",
        "source_many": "Sources: {sources}.",
        "computed": "Computed from the municipal figures: {names}.",
        "licence": "Licence: {licence}.",
        "refreshed": "Data refreshed: {date}.",
        "refreshed_unknown": "unknown",
        "no_data": "There are no figures for the chosen indicator and year.",
        "no_indicators": "The data contain no municipal-level indicator to show.",
        "demo_title": "Example data — the figures are not real statistics",
        "demo_body": (
            "The figures on this page are for demonstration. Fetch the real statistics with "
            "{refresh} or, with internet access, {make}. The data are stored in {cache}."
        ),
        "stale_title": "Some data may be out of date",
        "stale_body": (
            "The following sources could not be refreshed: {sources}. The page shows the last "
            "data fetched successfully. Try again with {refresh}."
        ),
        "footer_nav": "About this service",
        "statement_link": "Accessibility statement",
        "feedback_link": "Give feedback",
        "footer_licence": (
            "Statistics: Statistics Finland and the Finnish Institute for Health and Welfare, "
            "licence CC BY 4.0."
        ),
        "units": {"%": "%", "henkilöä": "persons", "euroa": "euros", "indeksi": "index"},
        "unit_axis": {"%": "per cent", "henkilöä": "persons", "euroa": "euros", "indeksi": "index"},
        "not_found_title": "Page not found",
        "not_found_body": "There is no page at this address.",
        "back_home": "Back to the front page",
        "statement_title": "Accessibility statement",
        "statement": [
            ("p", (
                "This statement covers the Digital divide overview service (digiindicators). "
                "The service falls under the Finnish Act on the Provision of Digital Services "
                "(306/2019). The aim is to meet levels A and AA of WCAG 2.1."
            )),
            ("h2", "Compliance status"),
            ("p", "The service partially meets the accessibility requirements."),
            ("h2", "Content that is not accessible"),
            ("ul", [
                (
                    "Charts cannot be explored with a keyboard or a screen reader (WCAG 1.1.1 and "
                    "2.1.1). The caption states the key content and every figure is in the table "
                    "below the chart."
                ),
                (
                    "Chart tooltips open only with a mouse (WCAG 1.4.13). The same data are in the "
                    "table."
                ),
            ]),
            ("h2", "How accessibility was assessed"),
            ("p", (
                "This is a self-assessment. The pages are checked automatically with axe-core "
                "(WCAG 2.1 A and AA) at three screen widths, and keyboard use is tested. The "
                "statement is a draft: its date will be added when the service is published."
            )),
            ("h2", "Feedback and contact"),
            ("p", (
                "If you notice an accessibility problem, please e-mail {email}. We answer within "
                "14 days."
            )),
            ("h2", "Supervisory authority"),
            ("p", (
                "If you are not satisfied with the answer or get none within two weeks, you can "
                "notify the Finnish Transport and Communications Agency Traficom. More "
                "information: {supervisor}."
            )),
        ],
    },
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def texts(lang: str = "fi") -> dict[str, Any]:
    """The string table of one language; unknown languages are an error, not a fallback."""
    if lang not in TEXTS:
        raise ValueError(f"Language {lang!r} is not one of {', '.join(LANGS)}.")
    return TEXTS[lang]


def format_date(iso: str | None, lang: str = "fi") -> str | None:
    """``2026-07-01T06:00:00+03:00`` → ``1.7.2026`` (fi, sv) or ``1 July 2026`` (en).

    Returns ``None`` when there is no date or it cannot be read, so the caller can say
    "unknown" instead of showing a wrong date.
    """
    if not iso:
        return None
    text = str(iso).strip()
    try:
        day: date = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, **parts: Any) -> list[Any]:
    """Split ``template`` at ``{field}`` marks into a list of strings and ``parts`` values.

    Unlike ``str.format`` the parts may be Dash components (a link, ``<code>``), so a
    translated sentence keeps its word order whatever the language.
    """
    out: list[Any] = []
    pos = 0
    for match in _FIELD.finditer(template):
        if match.start() > pos:
            out.append(template[pos : match.start()])
        out.append(parts[match.group(1)])
        pos = match.end()
    if pos < len(template):
        out.append(template[pos:])
    return out
