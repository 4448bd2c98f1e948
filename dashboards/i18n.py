"""Every short string a reader sees, per language (Finnish first, then Swedish and English).

Kept apart from the layout so the language switch only picks another dictionary and a
translator works on text files, not layout code. The overview's strings are here; the
other views' are in :mod:`dashboards.i18n_views` and long texts in :mod:`dashboards.prose`
(both merged into :data:`TEXTS` below). Templates use ``{name}`` fields;
:func:`fill` turns them into Dash children when a field must be a link or ``<code>``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

LANGS = ("fi", "sv", "en")
#: Each language's name in that language, for the language switch (marked up with lang=).
LANG_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}

#: The feedback address until the deploying organisation gives its own (law 306/2019 § 16
#: requires one): ``DIGIINDICATORS_FEEDBACK_EMAIL`` or ``dashboard --feedback-email``.
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
            "Vertaa maakunnan {n} kuntaa tilastoilla, jotka kertovat digitaalisen "
            "syrjäytymisen riskistä: ikärakenne, koulutus, tulot, työllisyys ja kieli. "
            "Valitse teema, indikaattori ja vuosi."
        ),
        "app_title_region": "Digitaalinen osallisuus: {region}",
        "lead_region": (
            "Vertaa alueen {n} kuntaa tilastoilla, jotka kertovat digitaalisen "
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
        "county_short": "hyvinvointialue",
        "missing": "Ei tietoa: {names}.",
        "estimates": "Merkki e: laskennallinen arvio; epävarmuusväli näkyy kuviossa ja taulukossa.",
        "see_table": "Luvut taulukkona",
        "download_png": "Tallenna kuvio kuvana (PNG)",
        "table_heading": "Luvut taulukkona",
        "table_caption": "{title} vuonna {year}: kunnat, maakunta, hyvinvointialue ja koko maa",
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
    },
    "sv": {
        "app_title": "Digital delaktighet i Norra Österbotten",
        "service_name": "Lägesbild över den digitala klyftan",
        "region_name": "Norra Österbotten",
        "noscript": "Den här sidan behöver JavaScript för att fungera.",
        "skip_link": "Gå till huvudinnehållet",
        "h1": "Digital delaktighet i Norra Österbotten",
        "lead": (
            "Jämför landskapets {n} kommuner med statistik som berättar om risken för digitalt "
            "utanförskap: åldersstruktur, utbildning, inkomster, sysselsättning och språk. "
            "Välj tema, indikator och år."
        ),
        "app_title_region": "Digital delaktighet: {region}",
        "lead_region": (
            "Jämför områdets {n} kommuner med statistik som berättar om risken för digitalt "
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
        "county_short": "välfärdsområdet",
        "missing": "Uppgift saknas: {names}.",
        "estimates": (
            "Tecknet e: beräknad uppskattning; osäkerhetsintervallet visas i figuren och "
            "tabellen."
        ),
        "see_table": "Siffrorna i tabellform",
        "download_png": "Spara figuren som bild (PNG)",
        "table_heading": "Siffrorna i tabellform",
        "table_caption": (
            "{title} år {year}: kommunerna, landskapet, välfärdsområdet och hela landet"
        ),
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
    },
    "en": {
        "app_title": "Digital inclusion in North Ostrobothnia",
        "service_name": "Digital divide overview",
        "region_name": "North Ostrobothnia",
        "noscript": "This page needs JavaScript to work.",
        "skip_link": "Skip to main content",
        "h1": "Digital inclusion in North Ostrobothnia",
        "lead": (
            "Compare the region's {n} municipalities on statistics that indicate the risk of "
            "digital exclusion: age structure, education, income, employment and language. "
            "Choose a theme, an indicator and a year."
        ),
        "app_title_region": "Digital inclusion: {region}",
        "lead_region": (
            "Compare the area's {n} municipalities on statistics that indicate the risk of "
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
        "county_short": "wellbeing services county",
        "missing": "No data: {names}.",
        "estimates": (
            "Symbol e: modelled estimate; its uncertainty interval is shown in the chart and "
            "table."
        ),
        "see_table": "Figures as a table",
        "download_png": "Save the chart as an image (PNG)",
        "table_heading": "Figures as a table",
        "table_caption": (
            "{title} in {year}: municipalities, region, wellbeing services county and Finland"
        ),
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
    },
}

def _merge() -> None:
    from .i18n_views import EXTRA_UNITS, VIEW_TEXTS

    for lang, extra in VIEW_TEXTS.items():
        TEXTS[lang].update(extra)
        TEXTS[lang]["units"] = {**TEXTS[lang]["units"], **EXTRA_UNITS[lang]}
        TEXTS[lang]["unit_axis"] = {**EXTRA_UNITS[lang], **TEXTS[lang]["unit_axis"]}


_merge()

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
