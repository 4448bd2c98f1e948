"""UI strings of the views added after the overview (navigation, profile, index, survey,
data, method), per language. Merged into :data:`dashboards.i18n.TEXTS`; a unit test checks
that every language has the same keys and the same ``{fields}``."""

from __future__ import annotations

from typing import Any

VIEW_TEXTS: dict[str, dict[str, Any]] = {
    "fi": {
        # ---- frame
        "nav_label": "Päävalikko",
        "nav": {"overview": "Yleiskuva", "profile": "Kuntaprofiili", "index": "Indeksi",
                "survey": "Kuntakysely", "data": "Tiedot ja lähteet", "method": "Menetelmät"},
        "titles": {"overview": "Yleiskuva", "profile": "Kuntaprofiili",
                   "index": "Digikuilun riski-indeksi", "survey": "Kuntakysely",
                   "data": "Tiedot ja lähteet", "method": "Menetelmät",
                   "statement": "Saavutettavuusseloste"},
        "lang_switch_label": "Kieli",
        "status_showing": "Näytetään: {what}",
        "download_link": "Näkymän tiedot taulukkona ja ladattavina (CSV, Excel)",
        "table_summary": "Luvut taulukkona",
        "country_name": "Koko maa",
        "county": "Hyvinvointialue",
        "peer_group": "Vertailuryhmä",
        "col_group": "Kuntaryhmä",
        "col_indicator": "Indikaattori",
        "col_year": "Vuosi",
        "col_note": "Huomautus",
        "col_id": "Tunnus",
        "col_years": "Vuodet",
        "col_rows": "Rivejä",
        # ---- overview
        "label_peer": "Korosta kuntaryhmä",
        "peer_none": "Ei korostusta",
        "label_map": "Kartan tyyppi",
        "map_boundaries": "Kuntarajat",
        "map_grid": "Ruudukko (yhtä suuret ruudut)",
        "map_heading": "Kartta",
        "ranking_heading": "Järjestys",
        "map_legend_heading": "Luokat (viidennekset, pienimmästä suurimpaan)",
        "legend_missing": "ei tietoa",
        "col_class": "Kartan luokka",
        "map_grid_note": (
            "Kartassa jokainen kunta on samankokoinen ruutu suunnilleen maantieteellisellä "
            "paikallaan; ruudukko ei kuvaa etäisyyksiä eikä pinta-aloja."
        ),
        "map_boundaries_note": "Tummempi väri tarkoittaa suurempaa arvoa.",
        "map_failed": (
            "Kuntarajoja ei saatu ladattua, joten karttaa ei voi piirtää. Kaikki "
            "kartan arvot ovat alla olevassa taulukossa."
        ),
        "map_unavailable": (
            "Tälle alueelle ei ole ruutukarttaa eikä välimuistissa ole kuntarajoja; kartan "
            "luokat ovat alla olevassa taulukossa. Kuntarajat haetaan komennolla "
            "digiindicators refresh."
        ),
        "boundaries_attribution": (
            "Rajat: Tilastokeskus, kuntapohjaiset tilastointialueet; © Maanmittauslaitos, "
            "CC BY 4.0"
        ),
        "peer_note": "Korostettu kuntaryhmä (lihavoitu nimi ja oranssi palkki): {group}.",
        # ---- profile
        "label_municipality": "Kunta",
        "choose_municipality": "Valitse kunta",
        "profile_h1": "Kuntaprofiili: {name}",
        "profile_h1_choose": "Kuntaprofiili",
        "profile_lead": (
            "{name} kuuluu Tilastokeskuksen luokituksessa ryhmään {group}. Vertailuryhmänä "
            "ovat maakunnan {n} muuta saman ryhmän kuntaa."
        ),
        "profile_lead_choose": "Valitse kunta nähdäksesi sen kaikki indikaattorit ja vertailut.",
        "profile_choose_prompt": "Valitse kunta yllä olevasta valikosta.",
        "print_profile": "Tulosta kuntaprofiili",
        "profile_compare_heading": "Kaikki indikaattorit ja vertailut",
        "profile_peer_method": (
            "Vertailuryhmän arvo on väestöpainotettu keskiarvo, kun kuntien väkiluvut ovat "
            "tiedossa; muuten kuntien keskiarvo. Solussa kerrotaan, kumpi ja montako kuntaa. "
            "Uusin vuosi kullekin indikaattorille."
        ),
        "profile_table_caption": (
            "{name} verrattuna vertailuryhmään, maakuntaan, hyvinvointialueeseen ja koko maahan"
        ),
        "estimate_words": "laskennallinen arvio",
        "interval_words": "väli {lo}–{hi}",
        "peer_weighted": "väestöpainotettu keskiarvo",
        "peer_mean": "kuntien keskiarvo",
        "peer_how": "{method}, {n} kuntaa",
        "peer_no_value": "ei vertailuarvoa",
        "trends_heading": "Kehitys vuosittain",
        "trends_none": "Kunnalla ei ole aikasarjoja (vähintään kaksi vuotta).",
        "trend_loading": "Kuvaajaa ladataan…",
        "trend_caption": "{name}: {title} {y0} {v0}, {y1} {v1}{refs}.",
        "trend_refs": "; vuonna {year} {refs}",
        "trend_none": "{name}: {title} – ei arvoja.",
        "trend_estimate": (
            "Arvot ovat laskennallisia arvioita; pystyviivat näyttävät epävarmuusvälin."
        ),
        "trend_table_caption": "{title} ({unit}) vuosittain",
        "profile_survey_heading": "Kyselyvastaukset",
        "profile_survey_caption": "{name}: vastaukset kysymyksittäin ja maakunnan luku",
        "survey_profile_lead": "{title} ({year}).",
        "col_question": "Kysymys",
        "col_answer": "Vastaus",
        "col_n": "Vastaajia (n)",
        # ---- index
        "index_h1": "Digikuilun riski-indeksi",
        "index_lead": (
            "Indeksi yhdistää valitsemasi osatekijät yhdeksi luvuksi 0–100: suurempi luku, "
            "suurempi digitaalisen syrjäytymisen riski. Muuta painoja ja menetelmää ja katso, "
            "miten kuntien järjestys muuttuu."
        ),
        "index_controls_heading": "Osatekijät ja menetelmä",
        "weights_heading": "Osatekijöiden painot",
        "weights_help": (
            "Paino 0–10; 0 jättää osatekijän pois. Painot suhteutetaan niin, että niiden summa "
            "on 100 %."
        ),
        "weight_direction": {
            "higher_is_worse": "Suurempi arvo = suurempi riski.",
            "higher_is_better": "Pienempi arvo = suurempi riski (suunta käännetään).",
            "neutral": "",
        },
        "reset_weights": "Palauta oletuspainot",
        "label_normalisation": "Normalisointi",
        "label_aggregation": "Yhdistäminen",
        "normalisation_names": {
            "minmax": "Min–max (0–100)",
            "zscore": "Standardointi (z-pisteet)",
            "rank": "Sijoitukset",
        },
        "aggregation_names": {
            "arithmetic": "Aritmeettinen keskiarvo (täysin kompensoiva)",
            "geometric": "Geometrinen keskiarvo (osittain kompensoiva)",
        },
        "weights_now": "Painot nyt: {parts}.",
        "index_title": "Digikuilun riski-indeksi",
        "index_chart_heading": "Indeksi kunnittain vuonna {year}",
        "rank_heading": "Sijoituksen vaihteluväli",
        "rank_lead": (
            "Sijoitus laskettiin myös kaikilla muilla normalisointi- ja yhdistämistavoilla ja "
            "jättämällä kukin osatekijä vuorollaan pois. Viiva näyttää parhaan ja huonoimman "
            "sijoituksen (1 = suurin riski), piste valintojesi mukaisen sijoituksen. Jos "
            "sijoitus vaihtelee yli {k} sijaa, se on merkitty huutomerkillä ja oranssilla: "
            "järjestys riippuu silloin menetelmästä."
        ),
        "rank_axis": "Sijoitus (1 = suurin riski)",
        "rank_caption": (
            "Sijoitus laskettiin {n} tavalla; se pysyi enintään {k} sijan sisällä {robust} "
            "kunnalla {total}:sta."
        ),
        "rank_caption_unstable": "Menetelmästä riippuu: {names}.",
        "rank_caption_unstable_most": (
            "Eniten menetelmästä riippuu: {names}; lisäksi {more} muuta (taulukossa)."
        ),
        "index_table_heading": "Indeksi, sijoitus ja osatekijät taulukkona",
        "index_table_caption": (
            "Indeksi vuonna {year}; osatekijöiden pisteet ({norm}), suurempi = suurempi riski"
        ),
        "col_rank": "Sijoitus",
        "col_index": "Indeksi",
        "col_range": "Vaihteluväli",
        "col_robust": "Vakaus",
        "robust_yes": "vakaa",
        "robust_no": "! riippuu menetelmästä",
        "no_index": "ei indeksiä: puuttuu {missing}",
        "index_scores_note": {
            "minmax": "Osatekijän pisteet: maakunnan pienin riski 0, suurin 100.",
            "zscore": (
                "Osatekijän pisteet ovat z-pisteitä: 0 = kuntien keskiarvo, 1 = yksi "
                "keskihajonta suurempi riski."
            ),
            "rank": "Osatekijän pisteet: sijoitus muunnettuna asteikolle 0–100.",
        },
        "index_not_say_heading": "Mitä indeksi ei kerro",
        "index_not_say": [
            "Indeksi ei mittaa digitaitoja eikä kerro, kuinka moni asukas tarvitsee digitukea. "
            "Se yhdistää taustatekijöitä, jotka liittyvät digitaalisen syrjäytymisen riskiin.",
            "Pisteet ovat suhteellisia: ne vertaavat maakunnan kuntia toisiinsa samana vuonna. "
            "Pienin arvo ei ole ”hyvä” eikä eri vuosien pisteitä voi verrata keskenään.",
            "Painot ovat arvovalintoja, eivät tilastollisia tosiasioita. Katso sijoituksen "
            "vaihteluväli ennen kuin teet päätelmiä järjestyksestä.",
            "Pieni ero indeksissä ei ole merkityksellinen, etenkään kun osatekijöissä on "
            "laskennallisia arvioita.",
            "Indeksi ei kerro syitä eikä sitä, mikä toimenpide auttaisi.",
        ],
        "index_error_weights": (
            "Anna vähintään yhdelle osatekijälle paino, joka on suurempi kuin 0."
        ),
        "index_error_year": (
            "Valituilla osatekijöillä ei ole yhteistä vuotta, jolta kaikilla olisi kuntatason "
            "tiedot. Jätä jokin osatekijä pois (paino 0)."
        ),
        "index_error": "Indeksiä ei voitu laskea: {message}",
        "index_status_error": "Indeksiä ei voitu laskea valinnoilla.",
        # ---- survey
        "survey_h1": "Kuntakysely",
        "survey_lead": (
            "{title} ({year}). Vastaukset kysymyksittäin ja kunnittain; n on kysymykseen "
            "vastanneiden määrä."
        ),
        "survey_example_note": (
            "Esimerkkikysely: vastaukset ovat synteettisiä eivätkä kerro kuntien todellisista "
            "vastauksista."
        ),
        "label_question": "Kysymys",
        "survey_chart_heading": "{title} kunnittain ({year})",
        "survey_table_caption": "{title} ({unit}), {year}: vastaus ja vastaajien määrä kunnittain",
        "survey_no_answer": "ei vastannut",
        "survey_no_answer_long": "kunta ei vastannut kysymykseen",
        "survey_suppressed_short": "salattu",
        "survey_region_note": "{units} kuntaa vastasi",
        "survey_rule_unpublished": (
            "salattu: vastaajille ei kerrottu, että vastaukset julkaistaan kunnittain"
        ),
        "survey_rule_org": "salattu: maakunnan luku vaatii vähintään {units} vastannutta kuntaa",
        "survey_rule_person": (
            "salattu: alle {shown} vastaajaa (prosenttiosuus: alle {percent} vastaajaa)"
        ),
        "survey_rule_generic": "salattu liian pienen vastaajamäärän vuoksi",
        "survey_caption_suppressed": "Salattu: {names}.",
        "survey_caption_no_answer": "Ei vastannut: {names}.",
        "licence_statfin": "Tilastokeskus, CC BY 4.0",
        "licence_thl": "THL, CC BY 4.0",
        "licence_geo": "Tilastokeskus, © Maanmittauslaitos, CC BY 4.0",
        "licence_derived": "laskettu Tilastokeskuksen aineistoista (CC BY 4.0)",
        "licence_survey": "kuntien vastaukset kyselyyn",
        "survey_n_explained": "kysymykseen vastanneiden määrä; ei paljasta vastauksia",
        "survey_source": "Lähde: {source}.",
        "survey_none": "Kyselyaineistoa ei ole.",
        # ---- data
        "data_h1": "Tiedot ja lähteet",
        "data_lead": (
            "Kaikkien näkymien luvut taulukkoina ja ladattavina tiedostoina metatietoineen sekä "
            "kunkin lähteen päivityspäivä ja tila."
        ),
        "dataset_heading": "Aineiston valinta ja lataus",
        "label_dataset": "Aineisto",
        "dataset_all": "Kaikki tiedot",
        "dataset_index": "Indeksi (indeksisivun valinnoin)",
        "dataset_survey": "Kuntakysely",
        "dataset_indicator": "Indikaattori: {title}",
        "dataset_profile": "Kuntaprofiili: {name}",
        "download_csv": "Lataa tiedot (CSV)",
        "download_meta": "Lataa metatiedot (CSV)",
        "download_xlsx": "Lataa Excel (tiedot ja metatiedot)",
        "download_note": (
            "CSV-tiedosto on UTF-8-muodossa; metatiedot (lähde, päivityspäivä, lisenssi, "
            "menetelmä) ovat erillisessä tiedostossa ja Excelin toisella välilehdellä."
        ),
        "preview_heading": "Tiedot taulukkona",
        "data_summary_caption": "Kaikki indikaattorit: yksikkö, vuodet ja rivien määrä",
        "data_all_note": "Ladattavassa tiedostossa on {rows} riviä (kaikki alueet ja vuodet).",
        "data_wide_caption": "{title} ({unit}) alueittain ja vuosittain",
        "data_preview_caption": "{label}: ladattavan tiedoston rivit",
        "data_preview_note": "Taulukossa näkyy {n} ensimmäistä riviä {rows}:stä; lataa kaikki.",
        "level_labels": {"seutukunta": "seutukunta", "maakunta": "maakunta",
                         "hyvinvointialue": "hyvinvointialue"},
        "pager_label": "Taulukon sivut",
        "pager_status": "Rivit {first}–{last}, yhteensä {rows}",
        "pager_previous": "Edellinen sivu",
        "pager_next": "Seuraava sivu",
        "pager_page": "Sivu {n}",
        "sources_heading": "Lähteet ja tietojen tuoreus",
        "sources_lead": "Tilastokeskuksen ja THL:n avoimet tiedot, lisenssi",
        "sources_caption": "Lähteet, niiden tiedot, päivitys ja lisenssi",
        "col_indicators": "Indikaattorit",
        "col_refreshed": "Haettu",
        "col_updated": "Lähteen päiväys",
        "col_freshness": "Tila",
        "col_licence": "Lisenssi ja tekijä",
        "source_fresh": "ajan tasalla",
        "source_stale_short": "vanhentunut",
        "source_stale": "vanhentunut: {problem}",
        # ---- method
        "method_h1": "Menetelmät",
    },
    "sv": {
        "nav_label": "Huvudmeny",
        "nav": {"overview": "Översikt", "profile": "Kommunprofil", "index": "Index",
                "survey": "Kommunenkät", "data": "Data och källor", "method": "Metoder"},
        "titles": {"overview": "Översikt", "profile": "Kommunprofil",
                   "index": "Riskindex för den digitala klyftan", "survey": "Kommunenkät",
                   "data": "Data och källor", "method": "Metoder",
                   "statement": "Tillgänglighetsutlåtande"},
        "lang_switch_label": "Språk",
        "status_showing": "Visas: {what}",
        "download_link": "Vyns data som tabell och för nedladdning (CSV, Excel)",
        "table_summary": "Siffrorna i tabellform",
        "country_name": "Hela landet",
        "county": "Välfärdsområde",
        "peer_group": "Jämförelsegrupp",
        "col_group": "Kommungrupp",
        "col_indicator": "Indikator",
        "col_year": "År",
        "col_note": "Anmärkning",
        "col_id": "Kod",
        "col_years": "År",
        "col_rows": "Rader",
        "label_peer": "Framhäv kommungrupp",
        "peer_none": "Ingen framhävning",
        "label_map": "Karttyp",
        "map_boundaries": "Kommungränser",
        "map_grid": "Rutnät (lika stora rutor)",
        "map_heading": "Karta",
        "ranking_heading": "Rangordning",
        "map_legend_heading": "Klasser (femtedelar, från lägsta till högsta)",
        "legend_missing": "uppgift saknas",
        "col_class": "Kartklass",
        "map_grid_note": (
            "På kartan är varje kommun en lika stor ruta ungefär på sin geografiska plats; "
            "rutnätet visar inte avstånd eller areal."
        ),
        "map_boundaries_note": "En mörkare färg betyder ett högre värde.",
        "map_failed": (
            "Kommungränserna kunde inte laddas, så kartan kan inte ritas. Alla "
            "kartans värden finns i tabellen nedan."
        ),
        "map_unavailable": (
            "För det här området finns ingen rutkarta och inga kommungränser i cachen; "
            "kartans klasser finns i tabellen nedan. Gränserna hämtas med kommandot "
            "digiindicators refresh."
        ),
        "boundaries_attribution": (
            "Gränser: Statistikcentralen, kommunbaserade statistikområden; © Lantmäteriverket, "
            "CC BY 4.0"
        ),
        "peer_note": "Framhävd kommungrupp (fetstilt namn och orange stapel): {group}.",
        "label_municipality": "Kommun",
        "choose_municipality": "Välj kommun",
        "profile_h1": "Kommunprofil: {name}",
        "profile_h1_choose": "Kommunprofil",
        "profile_lead": (
            "{name} hör i Statistikcentralens klassificering till gruppen {group}. "
            "Jämförelsegruppen är landskapets {n} andra kommuner i samma grupp."
        ),
        "profile_lead_choose": "Välj en kommun för att se alla dess indikatorer och jämförelser.",
        "profile_choose_prompt": "Välj en kommun i menyn ovan.",
        "print_profile": "Skriv ut kommunprofilen",
        "profile_compare_heading": "Alla indikatorer och jämförelser",
        "profile_peer_method": (
            "Jämförelsegruppens värde är ett befolkningsvägt medelvärde när kommunernas "
            "folkmängd är känd, annars kommunernas medelvärde. Cellen anger vilket och hur många "
            "kommuner. Senaste år för varje indikator."
        ),
        "profile_table_caption": (
            "{name} jämfört med jämförelsegruppen, landskapet, välfärdsområdet och hela landet"
        ),
        "estimate_words": "beräknad uppskattning",
        "interval_words": "intervall {lo}–{hi}",
        "peer_weighted": "befolkningsvägt medelvärde",
        "peer_mean": "kommunernas medelvärde",
        "peer_how": "{method}, {n} kommuner",
        "peer_no_value": "inget jämförelsevärde",
        "trends_heading": "Utveckling per år",
        "trends_none": "Kommunen har inga tidsserier (minst två år).",
        "trend_loading": "Diagrammet laddas…",
        "trend_caption": "{name}: {title} {y0} {v0}, {y1} {v1}{refs}.",
        "trend_refs": "; år {year} {refs}",
        "trend_none": "{name}: {title} – inga värden.",
        "trend_estimate": (
            "Värdena är beräknade uppskattningar; de lodräta strecken visar osäkerhetsintervallet."
        ),
        "trend_table_caption": "{title} ({unit}) per år",
        "profile_survey_heading": "Enkätsvar",
        "profile_survey_caption": "{name}: svar per fråga och landskapets siffra",
        "survey_profile_lead": "{title} ({year}).",
        "col_question": "Fråga",
        "col_answer": "Svar",
        "col_n": "Svarande (n)",
        "index_h1": "Riskindex för den digitala klyftan",
        "index_lead": (
            "Indexet förenar de delfaktorer du väljer till ett tal 0–100: ju högre tal, desto "
            "större risk för digitalt utanförskap. Ändra vikter och metod och se hur kommunernas "
            "ordning ändras."
        ),
        "index_controls_heading": "Delfaktorer och metod",
        "weights_heading": "Delfaktorernas vikter",
        "weights_help": (
            "Vikt 0–10; 0 lämnar bort delfaktorn. Vikterna räknas om så att deras summa är 100 %."
        ),
        "weight_direction": {
            "higher_is_worse": "Högre värde = större risk.",
            "higher_is_better": "Lägre värde = större risk (riktningen vänds).",
            "neutral": "",
        },
        "reset_weights": "Återställ standardvikterna",
        "label_normalisation": "Normalisering",
        "label_aggregation": "Sammanvägning",
        "normalisation_names": {
            "minmax": "Min–max (0–100)",
            "zscore": "Standardisering (z-poäng)",
            "rank": "Rangordning",
        },
        "aggregation_names": {
            "arithmetic": "Aritmetiskt medelvärde (helt kompenserande)",
            "geometric": "Geometriskt medelvärde (delvis kompenserande)",
        },
        "weights_now": "Vikter nu: {parts}.",
        "index_title": "Riskindex för den digitala klyftan",
        "index_chart_heading": "Index per kommun år {year}",
        "rank_heading": "Rangens variationsintervall",
        "rank_lead": (
            "Rangen räknades också med alla andra normaliserings- och sammanvägningssätt och "
            "genom att lämna bort varje delfaktor i tur och ordning. Strecket visar bästa och "
            "sämsta rang (1 = störst risk), punkten rangen enligt dina val. Om rangen varierar "
            "mer än {k} placeringar är den märkt med utropstecken och orange: ordningen beror "
            "då på metoden."
        ),
        "rank_axis": "Rang (1 = störst risk)",
        "rank_caption": (
            "Rangen räknades på {n} sätt; den höll sig inom {k} placeringar för {robust} av "
            "{total} kommuner."
        ),
        "rank_caption_unstable": "Beror på metoden: {names}.",
        "rank_caption_unstable_most": (
            "Mest beror på metoden: {names}; dessutom {more} andra (i tabellen)."
        ),
        "index_table_heading": "Index, rang och delfaktorer i tabellform",
        "index_table_caption": (
            "Index år {year}; delfaktorernas poäng ({norm}), högre = större risk"
        ),
        "col_rank": "Rang",
        "col_index": "Index",
        "col_range": "Variationsintervall",
        "col_robust": "Stabilitet",
        "robust_yes": "stabil",
        "robust_no": "! beror på metoden",
        "no_index": "inget index: saknar {missing}",
        "index_scores_note": {
            "minmax": "Delfaktorns poäng: landskapets minsta risk 0, största 100.",
            "zscore": (
                "Delfaktorns poäng är z-poäng: 0 = kommunernas medelvärde, 1 = en "
                "standardavvikelse större risk."
            ),
            "rank": "Delfaktorns poäng: rangen omräknad till skalan 0–100.",
        },
        "index_not_say_heading": "Vad indexet inte säger",
        "index_not_say": [
            "Indexet mäter inte digitala färdigheter och säger inte hur många invånare som "
            "behöver digitalt stöd. Det förenar bakgrundsfaktorer som hänger samman med risken "
            "för digitalt utanförskap.",
            "Poängen är relativa: de jämför landskapets kommuner med varandra samma år. Det "
            "lägsta värdet är inte ”bra” och poäng från olika år kan inte jämföras.",
            "Vikterna är värdeval, inte statistiska fakta. Se rangens variationsintervall innan "
            "du drar slutsatser av ordningen.",
            "En liten skillnad i indexet är inte betydelsefull, särskilt inte när delfaktorerna "
            "innehåller beräknade uppskattningar.",
            "Indexet säger inget om orsaker eller om vilka åtgärder som skulle hjälpa.",
        ],
        "index_error_weights": "Ge minst en delfaktor en vikt som är större än 0.",
        "index_error_year": (
            "De valda delfaktorerna har inget gemensamt år med uppgifter på kommunnivå. Lämna "
            "bort någon delfaktor (vikt 0)."
        ),
        "index_error": "Indexet kunde inte beräknas: {message}",
        "index_status_error": "Indexet kunde inte beräknas med valen.",
        "survey_h1": "Kommunenkät",
        "survey_lead": (
            "{title} ({year}). Svaren per fråga och kommun; n är antalet som svarat på frågan."
        ),
        "survey_example_note": (
            "Exempelenkät: svaren är syntetiska och säger inget om kommunernas verkliga svar."
        ),
        "label_question": "Fråga",
        "survey_chart_heading": "{title} per kommun ({year})",
        "survey_table_caption": "{title} ({unit}), {year}: svar och antal svarande per kommun",
        "survey_no_answer": "svarade inte",
        "survey_no_answer_long": "kommunen svarade inte på frågan",
        "survey_suppressed_short": "dold",
        "survey_region_note": "{units} kommuner svarade",
        "survey_rule_unpublished": (
            "dold: de svarande fick inte veta att svaren publiceras per kommun"
        ),
        "survey_rule_org": "dold: landskapets siffra kräver minst {units} kommuner som svarat",
        "survey_rule_person": (
            "dold: färre än {shown} svarande (andel i procent: färre än {percent} svarande)"
        ),
        "survey_rule_generic": "dold på grund av för få svarande",
        "survey_caption_suppressed": "Dold: {names}.",
        "survey_caption_no_answer": "Svarade inte: {names}.",
        "licence_statfin": "Statistikcentralen, CC BY 4.0",
        "licence_thl": "THL, CC BY 4.0",
        "licence_geo": "Statistikcentralen, © Lantmäteriverket, CC BY 4.0",
        "licence_derived": "beräknat ur Statistikcentralens data (CC BY 4.0)",
        "licence_survey": "kommunernas svar på enkäten",
        "survey_n_explained": "antalet som svarat på frågan; avslöjar inga svar",
        "survey_source": "Källa: {source}.",
        "survey_none": "Det finns inget enkätmaterial.",
        "data_h1": "Data och källor",
        "data_lead": (
            "Siffrorna i alla vyer som tabeller och som nedladdningsbara filer med metadata, "
            "samt varje källas uppdateringsdatum och status."
        ),
        "dataset_heading": "Val och nedladdning av material",
        "label_dataset": "Material",
        "dataset_all": "Alla uppgifter",
        "dataset_index": "Index (med indexsidans val)",
        "dataset_survey": "Kommunenkät",
        "dataset_indicator": "Indikator: {title}",
        "dataset_profile": "Kommunprofil: {name}",
        "download_csv": "Ladda ned data (CSV)",
        "download_meta": "Ladda ned metadata (CSV)",
        "download_xlsx": "Ladda ned Excel (data och metadata)",
        "download_note": (
            "CSV-filen är i UTF-8; metadata (källa, uppdateringsdatum, licens, metod) finns i en "
            "egen fil och på Excel-filens andra flik."
        ),
        "preview_heading": "Uppgifterna i tabellform",
        "data_summary_caption": "Alla indikatorer: enhet, år och antal rader",
        "data_all_note": "Den nedladdade filen har {rows} rader (alla områden och år).",
        "data_wide_caption": "{title} ({unit}) per område och år",
        "data_preview_caption": "{label}: raderna i den nedladdade filen",
        "data_preview_note": "Tabellen visar de {n} första av {rows} rader; ladda ned alla.",
        "level_labels": {"seutukunta": "ekonomisk region", "maakunta": "landskap",
                         "hyvinvointialue": "välfärdsområde"},
        "pager_label": "Tabellens sidor",
        "pager_status": "Rader {first}–{last} av {rows}",
        "pager_previous": "Föregående sida",
        "pager_next": "Nästa sida",
        "pager_page": "Sida {n}",
        "sources_heading": "Källor och uppgifternas aktualitet",
        "sources_lead": "Öppna data från Statistikcentralen och THL, licens",
        "sources_caption": "Källor, deras uppgifter, uppdatering och licens",
        "col_indicators": "Indikatorer",
        "col_refreshed": "Hämtad",
        "col_updated": "Källans datum",
        "col_freshness": "Status",
        "col_licence": "Licens och upphov",
        "source_fresh": "aktuell",
        "source_stale_short": "föråldrad",
        "source_stale": "föråldrad: {problem}",
        "method_h1": "Metoder",
    },
    "en": {
        "nav_label": "Main menu",
        "nav": {"overview": "Overview", "profile": "Municipality profile", "index": "Index",
                "survey": "Municipal survey", "data": "Data and sources", "method": "Methods"},
        "titles": {"overview": "Overview", "profile": "Municipality profile",
                   "index": "Digital divide risk index", "survey": "Municipal survey",
                   "data": "Data and sources", "method": "Methods",
                   "statement": "Accessibility statement"},
        "lang_switch_label": "Language",
        "status_showing": "Showing: {what}",
        "download_link": "This view's data as a table and for download (CSV, Excel)",
        "table_summary": "Figures as a table",
        "country_name": "Finland",
        "county": "Wellbeing services county",
        "peer_group": "Peer group",
        "col_group": "Municipality group",
        "col_indicator": "Indicator",
        "col_year": "Year",
        "col_note": "Note",
        "col_id": "Id",
        "col_years": "Years",
        "col_rows": "Rows",
        "label_peer": "Highlight a municipality group",
        "peer_none": "No highlight",
        "label_map": "Map type",
        "map_boundaries": "Municipal boundaries",
        "map_grid": "Tile grid (equal squares)",
        "map_heading": "Map",
        "ranking_heading": "Ranking",
        "map_legend_heading": "Classes (fifths, lowest to highest)",
        "legend_missing": "no data",
        "col_class": "Map class",
        "map_grid_note": (
            "On the map every municipality is an equal square roughly at its geographical "
            "place; the grid shows neither distances nor areas."
        ),
        "map_boundaries_note": "A darker colour means a higher value.",
        "map_failed": (
            "The municipal boundaries could not be loaded, so the map cannot be "
            "drawn. Every value of the map is in the table below."
        ),
        "map_unavailable": (
            "There is no tile map for this region and no municipal boundaries in the cache; "
            "the map classes are in the table below. The boundaries are fetched with "
            "digiindicators refresh."
        ),
        "boundaries_attribution": (
            "Boundaries: Statistics Finland, municipality-based statistical areas; © National "
            "Land Survey of Finland, CC BY 4.0"
        ),
        "peer_note": "Highlighted group (bold name and orange bar): {group}.",
        "label_municipality": "Municipality",
        "choose_municipality": "Choose a municipality",
        "profile_h1": "Municipality profile: {name}",
        "profile_h1_choose": "Municipality profile",
        "profile_lead": (
            "In Statistics Finland's classification {name} belongs to the group {group}. Its "
            "peer group is the region's {n} other municipalities in that group."
        ),
        "profile_lead_choose": "Choose a municipality to see all its indicators and comparisons.",
        "profile_choose_prompt": "Choose a municipality in the menu above.",
        "print_profile": "Print the municipality profile",
        "profile_compare_heading": "All indicators and comparisons",
        "profile_peer_method": (
            "The peer group's value is a population-weighted mean when the municipalities' "
            "populations are known, otherwise the mean of the municipalities. The cell says "
            "which, and how many municipalities. Latest year of each indicator."
        ),
        "profile_table_caption": (
            "{name} compared with its peer group, the region, the wellbeing services county and "
            "Finland"
        ),
        "estimate_words": "modelled estimate",
        "interval_words": "interval {lo}–{hi}",
        "peer_weighted": "population-weighted mean",
        "peer_mean": "mean of municipalities",
        "peer_how": "{method}, {n} municipalities",
        "peer_no_value": "no peer value",
        "trends_heading": "Development over the years",
        "trends_none": "The municipality has no time series (at least two years).",
        "trend_loading": "Loading the chart…",
        "trend_caption": "{name}: {title} {y0} {v0}, {y1} {v1}{refs}.",
        "trend_refs": "; in {year} {refs}",
        "trend_none": "{name}: {title} – no values.",
        "trend_estimate": (
            "The values are modelled estimates; the vertical lines show the uncertainty interval."
        ),
        "trend_table_caption": "{title} ({unit}) by year",
        "profile_survey_heading": "Survey answers",
        "profile_survey_caption": "{name}: answers by question and the regional figure",
        "survey_profile_lead": "{title} ({year}).",
        "col_question": "Question",
        "col_answer": "Answer",
        "col_n": "Respondents (n)",
        "index_h1": "Digital divide risk index",
        "index_lead": (
            "The index combines the components you choose into one number from 0 to 100: the "
            "higher the number, the higher the risk of digital exclusion. Change the weights and "
            "the method and see how the order of the municipalities changes."
        ),
        "index_controls_heading": "Components and method",
        "weights_heading": "Weights of the components",
        "weights_help": (
            "Weight 0–10; 0 leaves a component out. The weights are scaled to sum to 100 %."
        ),
        "weight_direction": {
            "higher_is_worse": "Higher value = higher risk.",
            "higher_is_better": "Lower value = higher risk (direction reversed).",
            "neutral": "",
        },
        "reset_weights": "Restore the default weights",
        "label_normalisation": "Normalisation",
        "label_aggregation": "Aggregation",
        "normalisation_names": {
            "minmax": "Min–max (0–100)",
            "zscore": "Standardisation (z-scores)",
            "rank": "Ranks",
        },
        "aggregation_names": {
            "arithmetic": "Arithmetic mean (fully compensatory)",
            "geometric": "Geometric mean (partly compensatory)",
        },
        "weights_now": "Weights now: {parts}.",
        "index_title": "Digital divide risk index",
        "index_chart_heading": "Index by municipality, {year}",
        "rank_heading": "Range of ranks",
        "rank_lead": (
            "The rank was also computed with every other normalisation and aggregation and "
            "with each component left out in turn. The line shows the best and worst rank "
            "(1 = highest risk), the dot the rank under your choices. A rank that moves more "
            "than {k} places is marked with an exclamation mark and orange: the order then "
            "depends on the method."
        ),
        "rank_axis": "Rank (1 = highest risk)",
        "rank_caption": (
            "The rank was computed in {n} ways; it stayed within {k} places for {robust} of "
            "{total} municipalities."
        ),
        "rank_caption_unstable": "Depends on the method: {names}.",
        "rank_caption_unstable_most": (
            "Depends most on the method: {names}; {more} more in the table."
        ),
        "index_table_heading": "Index, rank and components as a table",
        "index_table_caption": (
            "Index in {year}; component scores ({norm}), higher = more risk"
        ),
        "col_rank": "Rank",
        "col_index": "Index",
        "col_range": "Range",
        "col_robust": "Robustness",
        "robust_yes": "robust",
        "robust_no": "! depends on the method",
        "no_index": "no index: missing {missing}",
        "index_scores_note": {
            "minmax": "Component scores: the region's lowest risk 0, highest 100.",
            "zscore": (
                "Component scores are z-scores: 0 = the municipalities' mean, 1 = one standard "
                "deviation more risk."
            ),
            "rank": "Component scores: the rank rescaled to 0–100.",
        },
        "index_not_say_heading": "What the index does not say",
        "index_not_say": [
            "The index does not measure digital skills or say how many residents need digital "
            "support. It combines background factors linked to the risk of digital exclusion.",
            "Scores are relative: they compare the region's municipalities with each other in "
            "the same year. The lowest value is not \"good\", and scores of different years "
            "cannot be compared.",
            "Weights are value choices, not statistical facts. Look at the range of ranks "
            "before drawing conclusions from the order.",
            "A small difference in the index is not meaningful, especially when components are "
            "modelled estimates.",
            "The index says nothing about causes or about which action would help.",
        ],
        "index_error_weights": "Give at least one component a weight greater than 0.",
        "index_error_year": (
            "The chosen components share no year with municipal data for all of them. Leave a "
            "component out (weight 0)."
        ),
        "index_error": "The index could not be computed: {message}",
        "index_status_error": "The index could not be computed with these choices.",
        "survey_h1": "Municipal survey",
        "survey_lead": (
            "{title} ({year}). Answers by question and municipality; n is the number who "
            "answered the question."
        ),
        "survey_example_note": (
            "Example survey: the answers are synthetic and say nothing about the municipalities' "
            "real answers."
        ),
        "label_question": "Question",
        "survey_chart_heading": "{title} by municipality ({year})",
        "survey_table_caption": (
            "{title} ({unit}), {year}: answer and number of respondents by municipality"
        ),
        "survey_no_answer": "no answer",
        "survey_no_answer_long": "the municipality did not answer the question",
        "survey_suppressed_short": "suppressed",
        "survey_region_note": "{units} municipalities answered",
        "survey_rule_unpublished": (
            "suppressed: respondents were not told that answers are published per municipality"
        ),
        "survey_rule_org": "suppressed: the regional figure needs at least {units} municipalities",
        "survey_rule_person": (
            "suppressed: fewer than {shown} respondents (a percentage: fewer than {percent})"
        ),
        "survey_rule_generic": "suppressed because of too few respondents",
        "survey_caption_suppressed": "Suppressed: {names}.",
        "survey_caption_no_answer": "No answer: {names}.",
        "licence_statfin": "Statistics Finland, CC BY 4.0",
        "licence_thl": "THL, CC BY 4.0",
        "licence_geo": "Statistics Finland, © National Land Survey of Finland, CC BY 4.0",
        "licence_derived": "computed from Statistics Finland data (CC BY 4.0)",
        "licence_survey": "the municipalities' survey answers",
        "survey_n_explained": "number who answered the question; reveals no answer",
        "survey_source": "Source: {source}.",
        "survey_none": "There are no survey data.",
        "data_h1": "Data and sources",
        "data_lead": (
            "The figures of every view as tables and as downloadable files with metadata, and "
            "each source's refresh date and status."
        ),
        "dataset_heading": "Choose and download data",
        "label_dataset": "Dataset",
        "dataset_all": "All data",
        "dataset_index": "Index (with the index page's choices)",
        "dataset_survey": "Municipal survey",
        "dataset_indicator": "Indicator: {title}",
        "dataset_profile": "Municipality profile: {name}",
        "download_csv": "Download the data (CSV)",
        "download_meta": "Download the metadata (CSV)",
        "download_xlsx": "Download Excel (data and metadata)",
        "download_note": (
            "The CSV file is UTF-8; the metadata (source, refresh date, licence, method) are in "
            "a separate file and on the Excel file's second sheet."
        ),
        "preview_heading": "The data as a table",
        "data_summary_caption": "All indicators: unit, years and number of rows",
        "data_all_note": "The downloaded file has {rows} rows (every area and year).",
        "data_wide_caption": "{title} ({unit}) by area and year",
        "data_preview_caption": "{label}: the rows of the downloaded file",
        "data_preview_note": "The table shows the first {n} of {rows} rows; download them all.",
        "level_labels": {"seutukunta": "sub-region", "maakunta": "region",
                         "hyvinvointialue": "wellbeing services county"},
        "pager_label": "Table pages",
        "pager_status": "Rows {first}–{last} of {rows}",
        "pager_previous": "Previous page",
        "pager_next": "Next page",
        "pager_page": "Page {n}",
        "sources_heading": "Sources and how fresh the data are",
        "sources_lead": "Open data of Statistics Finland and THL, licence",
        "sources_caption": "Sources, what they feed, refresh and licence",
        "col_indicators": "Indicators",
        "col_refreshed": "Fetched",
        "col_updated": "Source's date",
        "col_freshness": "Status",
        "col_licence": "Licence and author",
        "source_fresh": "up to date",
        "source_stale_short": "out of date",
        "source_stale": "out of date: {problem}",
        "method_h1": "Methods",
    },
}

#: Units added with the survey and derived indicators, per language.
EXTRA_UNITS = {
    "fi": {"pistettä": "pistettä", "vastaajia": "vastaajia", "kuntaa": "kuntaa",
           "as./km²": "as./km²", "lukumäärä": "lukumäärä"},
    "sv": {"pistettä": "poäng", "vastaajia": "svarande", "kuntaa": "kommuner",
           "as./km²": "inv./km²", "lukumäärä": "antal"},
    "en": {"pistettä": "points", "vastaajia": "respondents", "kuntaa": "municipalities",
           "as./km²": "inhabitants/km²", "lukumäärä": "number"},
}
