"""Long texts: the method page and the accessibility statement, per language.

Each is a list of blocks ``(kind, content)``: ``"h2"`` a heading, ``"p"`` a paragraph
(``{name}`` fields are filled with links by the view), ``"ul"`` a list of strings. Kept
apart from :mod:`dashboards.i18n` so the short UI strings stay readable.

The statement follows the structure of law 306/2019 §§ 15–17 as the examples in
``research/anchors.md`` C.1 show it: compliance status, non-accessible content by WCAG
criterion, disproportionate burden, how and when it was assessed, feedback with a 14-day
answer, and the enforcement route (Traficom since 1.1.2025).
"""

from __future__ import annotations

STATEMENT_DATE = "2026-12-05"  # date of the self-assessment; update when it is redone

METHOD = {
    "fi": [
        ("p", (
            "Tilannekuva yhdistää avoimia tilastoja, jotka kertovat digitaalisen syrjäytymisen "
            "riskistä, laskennallisen arvion internetiä käyttämättömistä ja kuntakyselyn "
            "vastaukset. Luvut vertaavat kuntia toisiinsa; ne eivät kerro yksittäisistä ihmisistä."
        )),
        ("h2", "Laskennallinen arvio internetiä käyttämättömistä"),
        ("p", (
            "Tilastokeskuksen tutkimus väestön tieto- ja viestintätekniikan käytöstä julkaistaan "
            "vain koko maan tasolla. Kuntakohtainen luku on siksi laskennallinen arvio: kunnan "
            "16–89-vuotiaat ikäryhmittäin kerrotaan sillä koko maan ikäryhmän osuudella, joka ei "
            "ole käyttänyt internetiä kolmen kuukauden aikana, ja tulokset lasketaan yhteen."
        )),
        ("p", (
            "Arvio kertoo, montako internetin käyttämätöntä kunnassa olisi, jos asukkaat "
            "käyttäisivät internetiä kuten samanikäiset suomalaiset keskimäärin. Kuntien erot "
            "johtuvat siis vain ikärakenteesta."
        )),
        ("h3", "Mitä arvio ei kerro"),
        ("ul", [
            "Arvio ei ole mitattu tieto kunnan asukkaista. Se ei ota huomioon koulutusta, "
            "tuloja, kieltä eikä asuinalueen maaseutumaisuutta, jotka myös vaikuttavat "
            "internetin käyttöön.",
            "Epävarmuusväli kattaa vain koko maan otoksen satunnaisvaihtelun (95 %), ei mallin "
            "virhettä. Todellinen epävarmuus on suurempi.",
            "Arvio muuttuu vain, kun kunnan ikärakenne tai koko maan osuudet muuttuvat; sillä "
            "ei voi seurata kunnan omien toimien vaikutusta.",
            "90 vuotta täyttäneet eivät ole mukana, koska tutkimus kattaa vain 16–89-vuotiaat.",
            "Arviot on merkitty kaikkialla merkillä e ja sanoilla ”laskennallinen arvio”.",
        ]),
        ("h2", "Digikuilun riski-indeksi"),
        ("p", (
            "Indeksi yhdistää valitut osatekijät yhdeksi luvuksi 0–100; suurempi luku tarkoittaa "
            "suurempaa digitaalisen syrjäytymisen riskiä. Menetelmä noudattaa JRC:n ja OECD:n "
            "käsikirjaa yhdistelmäindikaattoreista (2008):"
        )),
        ("ul", [
            "Normalisointi: min–max (maakunnan pienin arvo 0, suurin 100), standardointi "
            "(z-pisteet, esitetään asteikolla 50 ± 10) tai sijoitus. Jos pienempi arvo "
            "tarkoittaa suurempaa riskiä (esimerkiksi tulot), suunta käännetään.",
            "Painotus: painot ovat valintoja, eivät tilastollisia tosiasioita. Ne suhteutetaan "
            "summaan 100 %; paino 0 jättää osatekijän pois.",
            "Yhdistäminen: aritmeettinen keskiarvo (hyvä arvo yhdessä osatekijässä korvaa "
            "huonon toisessa) tai geometrinen keskiarvo (korvaa vain osittain).",
            "Puuttuvia arvoja ei arvata: kunta, jolta puuttuu jokin osatekijä, ei saa indeksiä.",
            "Herkkyysanalyysi: sijoitus lasketaan kaikilla normalisointi- ja yhdistämistavoilla "
            "ja jättämällä kukin osatekijä vuorollaan pois. Jos sijoitus vaihtelee yli kolme "
            "sijaa, se merkitään epävakaaksi.",
        ]),
        ("h3", "Mitä indeksi ei kerro"),
        ("index_not_say", ""),
        ("h2", "Vertailuryhmät"),
        ("p", (
            "Kunnan vertailuryhmä ovat muut maakunnan kunnat, jotka kuuluvat samaan "
            "Tilastokeskuksen kaupunki–maaseutu-luokkaan (kaupunkimaiset, taajaan asutut tai "
            "maaseutumaiset kunnat). Kunta itse ei ole ryhmässä, jotta vertailu ei vedä ryhmää "
            "kohti kuntaa itseään."
        )),
        ("p", (
            "Ryhmän arvo on väestöpainotettu keskiarvo, kun kuntien väkiluvut ovat tiedossa: "
            "suuri kunta painaa enemmän, kuten ryhmän yhteisessä osuudessa. Osuuksille, joiden "
            "nimittäjä on muu kuin koko väestö (esimerkiksi työvoima), väkiluku on likimääräinen "
            "paino. Lukumäärille ja silloin, kun väkilukua ei ole, käytetään kuntien tavallista "
            "keskiarvoa, ja se kerrotaan sanoilla ”kuntien keskiarvo”."
        )),
        ("h2", "Kyselyn luvut"),
        ("p", (
            "Kuntakyselyssä kunnan vastaukset näytetään kunnittain vain, jos vastaajille on "
            "kerrottu kuntakohtaisesta julkaisusta; maakunnan luku edellyttää vähintään kolmea "
            "vastannutta kuntaa. Henkilökyselyssä luku salataan, jos vastaajia on alle viisi, ja "
            "prosenttiosuus, jos vastaajia on alle 30. Salattu solu merkitään ”..”, eikä sitä voi "
            "päätellä muista luvuista. n on kysymykseen vastanneiden määrä."
        )),
        ("h2", "Lähteet ja päivitys"),
        ("p", (
            "Tilastot: Tilastokeskus (StatFin) ja Terveyden ja hyvinvoinnin laitos (Sotkanet), "
            "lisenssi CC BY 4.0. Kuntarajat: Tilastokeskus, © Maanmittauslaitos, CC BY 4.0. "
            "Tiedot päivitetään komennolla {refresh}; Tiedot ja lähteet -sivu kertoo, milloin "
            "kukin lähde on päivitetty."
        )),
    ],
    "sv": [
        ("p", (
            "Lägesbilden förenar öppen statistik som berättar om risken för digitalt utanförskap, "
            "en beräknad uppskattning av personer som inte använder internet och svaren på en "
            "kommunenkät. Siffrorna jämför kommunerna med varandra; de säger inget om enskilda "
            "människor."
        )),
        ("h2", "Beräknad uppskattning av personer som inte använder internet"),
        ("p", (
            "Statistikcentralens undersökning om befolkningens användning av informations- och "
            "kommunikationsteknik publiceras bara för hela landet. Kommunens siffra är därför en "
            "beräknad uppskattning: kommunens 16–89-åringar per åldersgrupp multipliceras med "
            "den andel av åldersgruppen i hela landet som inte har använt internet under de "
            "senaste tre månaderna, och resultaten summeras."
        )),
        ("p", (
            "Uppskattningen visar hur många som inte använder internet i kommunen om invånarna "
            "använde det som jämnåriga finländare i genomsnitt. Skillnaderna mellan kommunerna "
            "beror alltså bara på åldersstrukturen."
        )),
        ("h3", "Vad uppskattningen inte säger"),
        ("ul", [
            "Uppskattningen är inte uppmätt om kommunens invånare. Den beaktar inte utbildning, "
            "inkomster, språk eller hur landsbygdsbetonad kommunen är, som också påverkar "
            "internetanvändningen.",
            "Osäkerhetsintervallet täcker bara slumpvariationen i hela landets urval (95 %), inte "
            "modellens fel. Den verkliga osäkerheten är större.",
            "Uppskattningen ändras bara när kommunens åldersstruktur eller hela landets andelar "
            "ändras; den kan inte följa upp effekten av kommunens egna åtgärder.",
            "Personer som fyllt 90 år ingår inte, eftersom undersökningen gäller 16–89-åringar.",
            "Uppskattningar märks överallt med tecknet e och orden ”beräknad uppskattning”.",
        ]),
        ("h2", "Riskindex för den digitala klyftan"),
        ("p", (
            "Indexet förenar de valda delfaktorerna till ett tal 0–100; ett högre tal betyder "
            "större risk för digitalt utanförskap. Metoden följer JRC:s och OECD:s handbok om "
            "sammansatta indikatorer (2008):"
        )),
        ("ul", [
            "Normalisering: min–max (landskapets lägsta värde 0, högsta 100), standardisering "
            "(z-poäng, visas på skalan 50 ± 10) eller rangordning. Om ett lägre värde betyder "
            "större risk (till exempel inkomster) vänds riktningen.",
            "Viktning: vikterna är val, inte statistiska fakta. De räknas om till summan 100 %; "
            "vikten 0 lämnar bort delfaktorn.",
            "Sammanvägning: aritmetiskt medelvärde (ett bra värde i en delfaktor kompenserar ett "
            "dåligt i en annan) eller geometriskt medelvärde (kompenserar bara delvis).",
            "Saknade värden gissas inte: en kommun som saknar någon delfaktor får inget index.",
            "Känslighetsanalys: rangen räknas med alla normaliserings- och sammanvägningssätt och "
            "genom att lämna bort varje delfaktor i tur och ordning. Om rangen varierar mer än "
            "tre placeringar markeras den som instabil.",
        ]),
        ("h3", "Vad indexet inte säger"),
        ("index_not_say", ""),
        ("h2", "Jämförelsegrupper"),
        ("p", (
            "Kommunens jämförelsegrupp är de andra kommunerna i landskapet som hör till samma "
            "stads–landsbygdsklass enligt Statistikcentralen (stadskommuner, tätortskommuner "
            "eller landsbygdskommuner). Kommunen själv ingår inte, så att jämförelsen inte drar "
            "gruppen mot kommunen."
        )),
        ("p", (
            "Gruppens värde är ett befolkningsvägt medelvärde när kommunernas folkmängd är känd: "
            "en stor kommun väger mer, som i gruppens gemensamma andel. För andelar med en annan "
            "nämnare än hela befolkningen (till exempel arbetskraften) är folkmängden en "
            "ungefärlig vikt. För antal, och när folkmängden saknas, används kommunernas vanliga "
            "medelvärde, och det sägs med orden ”kommunernas medelvärde”."
        )),
        ("h2", "Enkätens siffror"),
        ("p", (
            "I en kommunenkät visas kommunens svar per kommun bara om de svarande har fått veta "
            "att svaren publiceras per kommun; landskapets siffra kräver minst tre kommuner som "
            "svarat. I en personenkät döljs siffran om det finns färre än fem svarande och "
            "andelen i procent om det finns färre än 30. En dold cell märks ”..” och kan inte "
            "härledas ur andra siffror. n är antalet som svarat på frågan."
        )),
        ("h2", "Källor och uppdatering"),
        ("p", (
            "Statistik: Statistikcentralen (StatFin) och Institutet för hälsa och välfärd "
            "(Sotkanet), licens CC BY 4.0. Kommungränser: Statistikcentralen, © Lantmäteriverket, "
            "CC BY 4.0. Uppgifterna uppdateras med kommandot {refresh}; sidan Data och källor "
            "visar när varje källa har uppdaterats."
        )),
    ],
    "en": [
        ("p", (
            "The overview combines open statistics that indicate the risk of digital exclusion, "
            "a modelled estimate of people who do not use the internet, and the answers to a "
            "municipal survey. The figures compare municipalities with each other; they say "
            "nothing about individual people."
        )),
        ("h2", "Modelled estimate of people not using the internet"),
        ("p", (
            "Statistics Finland publishes its survey on the use of information and "
            "communications technology for the whole country only. The municipal figure is "
            "therefore a modelled estimate: the municipality's residents aged 16–89, by age "
            "group, are multiplied by the national share of that age group who have not used "
            "the internet in the last three months, and the results are added up."
        )),
        ("p", (
            "The estimate says how many people would not use the internet in the municipality "
            "if its residents used it like Finns of the same age on average. Differences between "
            "municipalities therefore come from their age structure alone."
        )),
        ("h3", "What the estimate does not say"),
        ("ul", [
            "It is not measured among the municipality's residents. It ignores education, "
            "income, language and rurality, which also affect internet use.",
            "The uncertainty interval covers only the sampling variation of the national survey "
            "(95 %), not the model's error. The real uncertainty is larger.",
            "It changes only when the municipality's age structure or the national shares "
            "change; it cannot show the effect of the municipality's own actions.",
            "People aged 90 or over are not included, because the survey covers ages 16–89.",
            "Estimates are marked everywhere with the symbol e and the words \"modelled "
            "estimate\".",
        ]),
        ("h2", "Digital divide risk index"),
        ("p", (
            "The index combines the chosen components into one number from 0 to 100; a higher "
            "number means a higher risk of digital exclusion. The method follows the JRC/OECD "
            "Handbook on Constructing Composite Indicators (2008):"
        )),
        ("ul", [
            "Normalisation: min–max (the region's lowest value 0, highest 100), standardisation "
            "(z-scores, shown on a 50 ± 10 scale) or ranks. Where a lower value means more risk "
            "(income, for example), the direction is reversed.",
            "Weighting: weights are choices, not statistical facts. They are scaled to sum to "
            "100 %; a weight of 0 leaves a component out.",
            "Aggregation: arithmetic mean (a good value in one component makes up for a bad one "
            "in another) or geometric mean (makes up only partly).",
            "Missing values are not guessed: a municipality missing any component gets no index.",
            "Sensitivity analysis: the rank is computed with every normalisation and aggregation "
            "and with each component left out in turn. A rank that moves more than three places "
            "is flagged as not robust.",
        ]),
        ("h3", "What the index does not say"),
        ("index_not_say", ""),
        ("h2", "Peer groups"),
        ("p", (
            "A municipality's peer group is the other municipalities of the region in the same "
            "Statistics Finland urban–rural class (urban, semi-urban or rural municipalities). "
            "The municipality itself is left out, so that the comparison does not pull the "
            "group towards it."
        )),
        ("p", (
            "The group's value is a population-weighted mean when the municipalities' "
            "populations are known: a large municipality weighs more, as in the group's joint "
            "share. For shares whose denominator is not the whole population (the labour force, "
            "for example) population is an approximate weight. For counts, and when population "
            "is missing, the plain mean of the municipalities is used and labelled \"mean of "
            "municipalities\"."
        )),
        ("h2", "Survey figures"),
        ("p", (
            "In a municipal survey a municipality's answers are shown per municipality only if "
            "the respondents were told that answers are published that way; the regional figure "
            "needs at least three answering municipalities. In a survey of people a figure is "
            "suppressed when there are fewer than five respondents, and a percentage when there "
            "are fewer than 30. A suppressed cell is marked \"..\" and cannot be worked out from "
            "other figures. n is the number who answered the question."
        )),
        ("h2", "Sources and updates"),
        ("p", (
            "Statistics: Statistics Finland (StatFin) and the Finnish Institute for Health and "
            "Welfare (Sotkanet), licence CC BY 4.0. Municipal boundaries: Statistics Finland, "
            "© National Land Survey of Finland, CC BY 4.0. The data are refreshed with "
            "{refresh}; the Data and sources page shows when each source was refreshed."
        )),
    ],
}

STATEMENT = {
    "fi": [
        ("p", (
            "Tämä saavutettavuusseloste koskee Digikuilun tilannekuva -palvelua (digiindicators). "
            "Palvelua koskee laki digitaalisten palvelujen tarjoamisesta (306/2019). Tavoitteena "
            "on täyttää WCAG 2.1 -ohjeiston A- ja AA-tason vaatimukset."
        )),
        ("h2", "Vaatimustenmukaisuuden tila"),
        ("p", "Palvelu täyttää saavutettavuusvaatimukset osittain."),
        ("h2", "Sisältö, joka ei ole saavutettavaa"),
        ("ul", [
            "WCAG 1.1.1 Muu kuin tekstimuotoinen sisältö ja 2.1.1 Näppäimistö: kuvioita ja "
            "karttaa ei voi tutkia ruudunlukijalla eikä näppäimistöllä. Kuvion keskeinen sisältö "
            "on kuvatekstissä, ja kaikki luvut ovat taulukossa kuvion yhteydessä.",
            "WCAG 1.4.13 Osoittimella tai kohdistuksella esiin tuleva sisältö: kuvioiden "
            "vihjetekstit avautuvat vain hiirellä. Samat tiedot ovat taulukoissa.",
            "WCAG 1.4.1 Värien käyttö: kuntarajakartalla luokka näkyy vain värinä. Sama tieto on "
            "sivun lukutaulukon sarakkeessa Kartan luokka ja ruudukkokartalla lukuina.",
            "WCAG 3.1.2 Osien kieli: lähteiden nimet ja ladattavien tiedostojen metatiedot ovat "
            "suomeksi myös ruotsin- ja englanninkielisillä sivuilla.",
        ]),
        ("h2", "Kohtuuton rasite"),
        ("p", "Palvelussa ei vedota kohtuuttomaan rasitteeseen."),
        ("h2", "Miten saavutettavuus on arvioitu"),
        ("p", (
            "Seloste on laadittu {date} itsearviointina. Kaikki näkymät tarkistetaan "
            "automaattisesti axe-core-työkalulla (WCAG 2.0 ja 2.1, tasot A ja AA) suomeksi, "
            "ruotsiksi ja englanniksi kolmella näytön leveydellä (1920, 768 ja 414 px). Lisäksi "
            "testataan sivun kieli, kuvatekstit ja taulukot sekä se, että kaikki säätimet "
            "saavutetaan näppäimistöllä. Ruudunlukijalla (NVDA) tehtävä tarkistus tehdään ennen "
            "julkaisua."
        )),
        ("h2", "Palaute ja yhteystiedot"),
        ("p", (
            "Jos huomaat saavutettavuuspuutteen tai tarvitset sisältöä saavutettavassa muodossa, "
            "kerro siitä sähköpostilla osoitteeseen {email}. Vastaamme 14 päivän kuluessa."
        )),
        ("h2", "Valvontaviranomainen"),
        ("p", (
            "Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon "
            "aikana, voit tehdä ilmoituksen valvontaviranomaiselle, joka on Liikenne- ja "
            "viestintävirasto Traficom. Ohjeet ilmoituksen tekemiseen: {supervisor}."
        )),
    ],
    "sv": [
        ("p", (
            "Detta tillgänglighetsutlåtande gäller tjänsten Lägesbild över den digitala klyftan "
            "(digiindicators). Tjänsten omfattas av lagen om tillhandahållande av digitala "
            "tjänster (306/2019). Målet är att uppfylla nivåerna A och AA i WCAG 2.1."
        )),
        ("h2", "Överensstämmelse"),
        ("p", "Tjänsten uppfyller tillgänglighetskraven delvis."),
        ("h2", "Innehåll som inte är tillgängligt"),
        ("ul", [
            "WCAG 1.1.1 Icke-textuellt innehåll och 2.1.1 Tangentbord: figurerna och kartan kan "
            "inte utforskas med skärmläsare eller tangentbord. Det väsentliga står i figurtexten "
            "och alla siffror finns i en tabell vid figuren.",
            "WCAG 1.4.13 Innehåll vid hovring eller fokus: figurernas verktygstips öppnas bara "
            "med mus. Samma uppgifter finns i tabellerna.",
            "WCAG 1.4.1 Användning av färg: på kartan med kommungränser syns klassen bara som "
            "färg. Samma uppgift finns i sidans tabell (kolumnen Kartklass) och som tal på "
            "rutkartan.",
            "WCAG 3.1.2 Språk för delar: källornas namn och metadata i nedladdade filer är på "
            "finska även på de svenska och engelska sidorna.",
        ]),
        ("h2", "Oskälig börda"),
        ("p", "Tjänsten åberopar inte oskälig börda."),
        ("h2", "Hur tillgängligheten har bedömts"),
        ("p", (
            "Utlåtandet har utarbetats {date} som en självbedömning. Alla vyer kontrolleras "
            "automatiskt med axe-core (WCAG 2.0 och 2.1, nivåerna A och AA) på finska, svenska "
            "och engelska i tre skärmbredder (1920, 768 och 414 px). Dessutom testas sidans "
            "språk, figurtexter och tabeller samt att alla reglage nås med tangentbordet. En "
            "kontroll med skärmläsare (NVDA) görs före publiceringen."
        )),
        ("h2", "Respons och kontaktuppgifter"),
        ("p", (
            "Om du upptäcker en tillgänglighetsbrist eller behöver innehåll i tillgänglig form, "
            "meddela oss per e-post till {email}. Vi svarar inom 14 dagar."
        )),
        ("h2", "Tillsynsmyndighet"),
        ("p", (
            "Om du inte är nöjd med svaret eller inte får svar inom två veckor kan du göra en "
            "anmälan till tillsynsmyndigheten, Transport- och kommunikationsverket Traficom. "
            "Anvisningar: {supervisor}."
        )),
    ],
    "en": [
        ("p", (
            "This accessibility statement covers the Digital divide overview service "
            "(digiindicators). The service falls under the Finnish Act on the Provision of "
            "Digital Services (306/2019). The aim is to meet levels A and AA of WCAG 2.1."
        )),
        ("h2", "Compliance status"),
        ("p", "The service partially meets the accessibility requirements."),
        ("h2", "Content that is not accessible"),
        ("ul", [
            "WCAG 1.1.1 Non-text content and 2.1.1 Keyboard: the charts and the map cannot be "
            "explored with a screen reader or a keyboard. The caption states the key content and "
            "every figure is in a table next to the chart.",
            "WCAG 1.4.13 Content on hover or focus: chart tooltips open only with a mouse. The "
            "same data are in the tables.",
            "WCAG 1.4.1 Use of colour: on the boundary map a class is shown by colour only. The "
            "same information is in the page's values table (column Map class) and as numbers "
            "on the tile map.",
            "WCAG 3.1.2 Language of parts: source names and the metadata of downloaded files are "
            "in Finnish on the Swedish and English pages too.",
        ]),
        ("h2", "Disproportionate burden"),
        ("p", "The service does not claim disproportionate burden."),
        ("h2", "How accessibility was assessed"),
        ("p", (
            "This statement was prepared on {date} as a self-assessment. Every view is checked "
            "automatically with axe-core (WCAG 2.0 and 2.1, levels A and AA) in Finnish, Swedish "
            "and English at three screen widths (1920, 768 and 414 px). The page language, "
            "captions and tables are tested too, and that every control can be reached with a "
            "keyboard. A screen-reader check (NVDA) is done before publication."
        )),
        ("h2", "Feedback and contact"),
        ("p", (
            "If you notice an accessibility problem or need content in an accessible form, "
            "please e-mail {email}. We answer within 14 days."
        )),
        ("h2", "Supervisory authority"),
        ("p", (
            "If you are not satisfied with the answer or get none within two weeks, you can "
            "notify the supervisory authority, the Finnish Transport and Communications Agency "
            "Traficom. Instructions: {supervisor}."
        )),
    ],
}
