"""Make `pii_heldout2.jsonl`: a second held-out set for the gatekeeper, written after the first
held-out set had been looked at while tuning (so that one no longer measures text nobody tuned on).

    python benchmarks/data/make_pii_heldout2.py

Nothing here comes from Faker or from the gatekeeper's own lists: the given names, surnames,
streets, towns and postcodes below were written by hand for this file, from many countries
(Korean, Nigerian, Vietnamese, Arabic, Nordic, Slavic, Iberian and Latin American, South Asian,
East African...), including compound and hyphenated given names. The templates are new too:
chat lines, forms, multi-line postal blocks in national shapes (house number after the street,
flat/floor suffixes, postal blocks over several lines), postcodes said alone with a cue, phone
numbers in national groupings, lower-case chats, chat logs, CSV and table rows, e-mail headers.

A value is labelled with its type; an address is labelled piece by piece as it would be written
on an envelope (street line with its flat/floor part, unit line, district, postcode + town line),
so each piece must be masked. Card numbers pass Luhn and IBANs their mod-97 check (made here, not
taken from anywhere). Output is deterministic (fixed seed, no third-party package).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from labelled import Builder

HERE = Path(__file__).resolve().parent
SEED = 16_2026_11
N_MESSAGES = 420

# -- people ----------------------------------------------------------------------------------------
FIRST = {
    "ko": "Hyun-woo Ji-hoon Soo-ah Eun-ji Dong-hyun Min-seo Yeon-woo Hae-won Jun-ho Sung-min Da-eun Bo-ra",
    "ng": "Chukwuemeka Nneka Olumide Temitope Adebayo Funmilayo Ikenna Chinonso Ebere Uchenna Damilola Kelechi "
          "Bukola Nkechi Segun",
    "vn": "Phuong Tuan Khanh Trang Duc Thuy Hieu Ngoc Vy Dung Hanh Long",
    "ar": "Khalid Mariam Rania Yasmin Bilal Hussein Noura Faisal Abdulrahman Dalia Majed Hiba Ziad Lubna",
    "nordic": "Eirik Ragnhild Torbjørn Kjersti Sigurd Ylva Halldóra Gunnar Åsmund Sunniva Jóhanna Tuva Kaare",
    "slav": "Bohdan Oksana Yaroslava Radomir Zdeněk Dobromir Svetlana Miroslav Wiesław Ludmila Stanisław Jarmila "
            "Dušan Bożena",
    "tr": "Cemile Oğuz Serkan Gülşen Tuğba Volkan",
    "in": "Nandini Harsha Siddharth Meenakshi Pranav Ishaan Tanvi Gurpreet Rajesh Shalini",
    "cn": "Zhiwei Meiling Yuxuan Jianguo Xiuying Haoran",
    "jp": "Ren Hinata Sota Yuna Daiki Kaede",
    "es": "Araceli Nahuel Rocío Iker Ainhoa Jacinto Maite Lisandro Yolanda Fermín",
    "pt": "Conceição Leandro Rosângela Vinícius Jussara Anderson",
    "ph": "Maricel Jomar Rowena Dindo",
    "id": "Wahyu Agus Dewi Rizky Putri Bambang",
    "pacific": "Wiremu Mere Hemi Ariki",
    "gh": "Kwesi Adwoa Yaa Kojo Afia",
    "et": "Tewodros Hirut Mekdes Biniam",
    "ke": "Baraka Neema Wanjiku Otieno Achieng",
    "hu": "Gergő Ildikó Csaba Enikő",
    "gr": "Stavros Vasiliki Panagiotis Despina",
    "celt": "Rhiannon Gethin Cathal Gráinne Eilidh Ruaraidh",
    "nl": "Joost Maartje Sjoerd Fenna",
    "compound": "Jean-Baptiste Anna-Lena Marie-Claire Hans-Peter Ann-Kristin Karl-Heinz Marie-Ève Jan-Erik",
    "two_word": "José Luis|Maria Fernanda|Juan Pablo|Ana Paula|Luiz Carlos|Maria José",
    "wordlike": "Hope Joy Faith Summer Hunter Sky Destiny Precious Blessing Victory",
}
SURNAMES = (
    "Oyelowo Chukwu Obi Ezeani Adeleke Nwachukwu Ibekwe Lee Jung Kang Yoon Shin Han Seo Le Vu Dang Bui Ho Ngo "
    "Duong Al-Mansouri Saleh Farouk Nasser Abdallah Qureshi Solberg Haugen Bergqvist Eriksdóttir Lundgren "
    "Andersen Rasmussen Jóhannsson Shevchenko Kovalenko Bondarenko Novak Babić Kuznetsova Sokolov Pavlović "
    "Zelenka Fernández Gutiérrez Barbosa Moreira Hakimi Yamamoto Nakamura Huang Zhou Gupta Krishnan Menon "
    "Banerjee Mwangi Njoroge Gebremedhin Alemu Boakye Darko Ruiz Acosta Lindahl Laine Nieminen Papadakis "
    "Nikolaidis Szűcs Farkas Tóth MacLeod Llewellyn de Vries Jansen Dijkstra Öztürk Aksoy Çelik Wanyama "
    "Tshabalala Mahlangu Kiplagat Arslan Sandoval Cárdenas Pereira Nascimento Santos Reyes Magbanua "
    "Sutrisno Wijaya Rahman Chowdhury Siddiqui Tuhiwai Ngata-Kerr Quaye Osei Mengistu Fekadu Mohammadi "
    "Sørensen Eklund Holm Kowalczyk Dąbrowski Nowicki Vlasák Horák Kučera Sheikh Haddadi Park-Lindqvist"
).split()
MULTI_SURNAMES = ["van den Broek", "de Oliveira Santos", "García-Pardo", "Ó Briain", "bin Abdullah", "Nic Gearailt",
                  "dela Cruz", "Al Shamsi", "ter Beek", "Lima e Silva"]


class People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first_pool = {k: v.split("|") if "|" in v else v.split() for k, v in FIRST.items()}

    def first(self, wordlike: bool = True) -> str:
        groups = [k for k in self.first_pool if wordlike or k != "wordlike"]
        weights = [0.3 if k in ("wordlike", "two_word") else 1.0 for k in groups]
        group = self.rng.choices(groups, weights)[0]
        return self.rng.choice(self.first_pool[group])

    def single_first(self, wordlike: bool = True) -> str:
        """A given name of one word (for lists and chat logs)."""
        while True:
            name = self.first(wordlike)
            if " " not in name:
                return name

    def last(self) -> str:
        return self.rng.choice(MULTI_SURNAMES) if self.rng.random() < 0.1 else self.rng.choice(SURNAMES)

    def full(self) -> str:
        r = self.rng.random()
        first, last = self.first(), self.last()
        if r < 0.12:
            return f"{first} {self.single_first()[0]}. {last}"
        if r < 0.18:
            return f"{first[0]}. {last}"
        if r < 0.24:
            return f"{last.upper()} {first}"  # family name first, in capitals, as on forms
        return f"{first} {last}"


# -- addresses: (street line, [unit lines], [district], postcode + town line, postcode) per country ----------
def _n(rng: random.Random, lo: int = 1, hi: int = 250) -> int:
    return rng.randint(lo, hi)


def addr_de(r):
    street = r.choice(["Lindenauer", "Quellen", "Rosental", "Birken", "Eichendorff", "Mühlen", "Kastanien"])
    kind = r.choice(["straße", "weg", "allee", "gasse", "ring"])
    num = f"{_n(r)}{r.choice(['', '', 'a', 'b'])}"
    town = r.choice(["Münster", "Freiburg im Breisgau", "Bochum", "Rostock", "Bamberg", "Görlitz"])
    pc = f"{r.randint(10000, 99999)}"
    unit = [r.choice(["Hinterhaus, 3. OG", "c/o Werkstatt", "2. Etage links"])] if r.random() < 0.25 else []
    return f"{street}{kind} {num}", unit, [], f"{pc} {town}", pc


def addr_at(r):
    pc = f"1{r.randint(0, 2)}{r.randint(1, 9)}0"
    street = r.choice(["Mariahilfer Straße", "Praterstraße", "Josefstädter Straße", "Gumpendorfer Straße"])
    return f"{street} {_n(r)}/{r.randint(1, 9)}/{r.randint(1, 30)}", [], [], f"{pc} Wien", pc


def addr_ch(r):
    pc = f"{r.randint(1000, 9999)}"
    street = r.choice(["Bahnhofstrasse", "Seefeldstrasse", "Rue du Rhône", "Via Nassa", "Kramgasse"])
    town = r.choice(["Zürich", "Genève", "Lugano", "Bern", "Winterthur"])
    return f"{street} {_n(r, 1, 90)}", [], [], f"CH-{pc} {town}", pc


def addr_fr(r):
    num = f"{_n(r, 1, 120)}{r.choice(['', '', ' bis', ' ter'])}"
    street = r.choice(["rue des Lilas", "avenue Jean-Jaurès", "boulevard Voltaire", "impasse des Tanneurs",
                       "allée des Peupliers", "rue du Faubourg Saint-Antoine", "quai de la Loire"])
    pc = f"{r.choice(['75', '69', '13', '33', '44', '67'])}{r.randint(0, 9)}{r.randint(10, 99)}"
    town = r.choice(["Paris", "Lyon", "Marseille", "Bordeaux", "Nantes", "Strasbourg"])
    unit = [r.choice(["Bât. B, 3e étage", "Résidence Les Tilleuls, apt 14", "Escalier C"])] if r.random() < 0.3 else []
    return f"{num}, {street}" if r.random() < 0.3 else f"{num} {street}", unit, [], f"{pc} {town}", pc


def addr_es(r):
    street = r.choice(["Calle Mayor", "C/ de Pelayo", "Calle del Olivar", "Avenida de la Constitución",
                       "Paseo de Gràcia", "Carrer de Verdi", "Calle Hileras"])
    flat = r.choice(["", f", {r.randint(1, 9)}º {r.choice('ABCD')}", f", {r.randint(1, 7)}º {r.randint(1, 4)}ª",
                     ", bajo izq.", f", {r.randint(1, 8)}º dcha."])
    pc = f"{r.choice(['28', '08', '41', '46', '29'])}0{r.randint(10, 99)}"
    town = r.choice(["Madrid", "Barcelona", "Sevilla", "Valencia", "Málaga"])
    return f"{street} {_n(r, 1, 140)}{flat}", [], [], f"{pc} {town}", pc


def addr_br(r):
    street = r.choice(["Rua das Laranjeiras", "Av. Paulista", "Rua Oscar Freire", "Avenida Atlântica",
                       "Rua Visconde de Pirajá", "Travessa do Ouvidor"])
    num = f", {_n(r, 10, 3000)}" if r.random() < 0.6 else f" {_n(r, 10, 3000)}"
    flat = r.choice(["", f", apto {r.randint(11, 1204)}", f", bloco {r.choice('ABC')}, ap. {r.randint(11, 804)}",
                     f" - sala {r.randint(101, 1910)}"])
    pc = f"{r.randint(10000, 99999)}-{r.randint(0, 999):03d}"
    district = r.choice(["Copacabana", "Jardins", "Bela Vista", "Savassi", "Moinhos de Vento"])
    town = r.choice(["São Paulo - SP", "Rio de Janeiro - RJ", "Belo Horizonte - MG", "Porto Alegre - RS"])
    return f"{street}{num}{flat}", [], [district], f"{town}, {pc}" if r.random() < 0.5 else f"{pc} {town}", pc


def addr_it(r):
    street = r.choice(["Via Garibaldi", "Corso Vittorio Emanuele II", "Viale dei Mille", "Piazza San Carlo",
                       "Via dei Serpenti", "Vicolo del Moro"])
    flat = r.choice(["", f", scala {r.choice('ABC')}, int. {r.randint(1, 20)}", f", piano {r.randint(1, 6)}"])
    pc = f"{r.choice(['20', '00', '10', '50', '80'])}1{r.randint(10, 99)}"
    town = r.choice(["Milano MI", "Roma RM", "Torino TO", "Firenze FI", "Napoli NA"])
    return f"{street} {_n(r, 1, 200)}{flat}", [], [], f"{pc} {town}", pc


def addr_nl(r):
    street = r.choice(["Prinsengracht", "Oudegracht", "Van Woustraat", "Kerkstraat", "Witte de Withstraat"])
    pc = f"{r.randint(1000, 9999)} {r.choice('ABCDEGHJKLMNPRSTVWXZ')}{r.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    town = r.choice(["Amsterdam", "Utrecht", "Rotterdam", "Den Haag", "Groningen"])
    return f"{street} {_n(r, 1, 400)}{r.choice(['', '-1', '-2', ' hs', 'A'])}", [], [], f"{pc} {town}", pc


def addr_pl(r):
    street = r.choice(["ul. Długa", "ul. Świętojańska", "al. Jerozolimskie", "ul. Piotrkowska", "os. Tysiąclecia"])
    num = f"{_n(r, 1, 180)}" + r.choice(["", f" m. {r.randint(1, 60)}", f"/{r.randint(1, 60)}", " lok. 4"])
    pc = f"{r.randint(0, 99):02d}-{r.randint(100, 999)}"
    town = r.choice(["Gdańsk", "Warszawa", "Łódź", "Kraków", "Poznań"])
    return f"{street} {num}", [], [], f"{pc} {town}", pc


def addr_cz(r):
    street = r.choice(["Vinohradská", "Korunní", "Husova", "Masarykova", "Nádražní"])
    pc = f"{r.randint(100, 799)} {r.randint(0, 99):02d}"
    town = r.choice(["Praha 3", "Brno", "Ostrava", "Plzeň"])
    return f"{street} {_n(r, 100, 2500)}/{_n(r, 1, 250)}", [], [], f"{pc} {town}", pc


def addr_nordic(r):
    which = r.choice(["no", "se", "dk", "fi"])
    if which == "no":
        street, pc, town = r.choice(["Storgata", "Thorvald Meyers gate", "Markveien", "Bygdøy allé"]), \
            f"0{r.randint(150, 599)}", "Oslo"
        line = f"{street} {_n(r, 1, 120)}{r.choice(['', 'B', ' C'])}"
    elif which == "se":
        street, pc, town = r.choice(["Drottninggatan", "Götgatan", "Södra vägen", "Linnégatan"]), \
            f"{r.randint(100, 999)} {r.randint(10, 99)}", r.choice(["Stockholm", "Göteborg", "Malmö"])
        line = f"{street} {_n(r, 1, 120)}{r.choice(['', ' A', ', lgh 1102'])}"
    elif which == "dk":
        street, pc, town = r.choice(["Nørrebrogade", "Vesterbrogade", "Jægersborggade", "Strandvejen"]), \
            f"{r.randint(1000, 2900)}", r.choice(["København N", "Frederiksberg C", "Aarhus C"])
        line = f"{street} {_n(r, 1, 220)}{r.choice(['', ', 2. th.', ', st. tv.', ', 4. mf.'])}"
    else:
        street, pc, town = r.choice(["Mannerheimintie", "Hämeenkatu", "Aleksanterinkatu", "Kauppakatu"]), \
            f"{r.randint(0, 99):02d}{r.randint(100, 999)}", r.choice(["Helsinki", "Tampere", "Turku"])
        line = f"{street} {_n(r, 1, 90)}{r.choice(['', f' B {r.randint(1, 40)}', f' A {r.randint(1, 20)}'])}"
    return line, [], [], f"{pc} {town}", pc


def addr_uk(r):
    street = r.choice(["Larkspur Close", "Bramble Way", "Cheviot Road", "Albion Terrace", "Mill Lane",
                       "Priory Gardens", "Clifton Mews"])
    pc = f"{r.choice(['LS', 'M', 'EH', 'CF', 'BS', 'NE', 'SW'])}{r.randint(1, 19)} {r.randint(1, 9)}" \
         f"{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    town = r.choice(["Leeds", "Manchester", "Edinburgh", "Cardiff", "Bristol", "Newcastle upon Tyne", "London"])
    unit = [f"Flat {r.randint(1, 40)}"] if r.random() < 0.35 else []
    return f"{_n(r, 1, 300)} {street}", unit, [], f"{town} {pc}" if r.random() < 0.5 else f"{town}\n{pc}", pc


def addr_us(r):
    street = r.choice(["N Kedzie Ave", "Magnolia Blvd", "W 38th St", "Cedar Hollow Dr", "SE Division St",
                       "Peachtree Rd NE", "Old Mill Pkwy"])
    unit = [r.choice([f"Apt {r.randint(1, 30)}{r.choice('ABCDR')}", f"Suite {r.randint(100, 990)}",
                      f"Unit {r.randint(1, 99)}"])] if r.random() < 0.4 else []
    pc = f"{r.randint(10000, 99999)}" + (f"-{r.randint(1000, 9999)}" if r.random() < 0.2 else "")
    town = r.choice(["Chicago, IL", "Burbank, CA", "Portland, OR", "Atlanta, GA", "Austin, TX", "Duluth, MN"])
    return f"{_n(r, 10, 9999)} {street}", unit, [], f"{town} {pc}", pc


def addr_ca(r):
    if r.random() < 0.5:
        line = f"{_n(r, 100, 4000)} rue Saint-Denis{r.choice(['', f', app. {r.randint(1, 30)}'])}"
        town = "Montréal (Québec)"
    else:
        line = f"{_n(r, 10, 900)} {r.choice(['Queen St W', 'Jasper Ave NW', 'Granville St', 'Barrington St'])}"
        town = r.choice(["Toronto ON", "Edmonton AB", "Vancouver BC", "Halifax NS"])
    pc = f"{r.choice('KLMNTHVG')}{r.randint(1, 9)}{r.choice('ABCEGHJ')} {r.randint(1, 9)}{r.choice('KLMNPR')}{r.randint(1, 9)}"
    return line, [], [], f"{town} {pc}", pc


def addr_ie(r):
    pc = f"{r.choice(['D04', 'D08', 'T12', 'H91', 'V94'])} {r.choice('ACDEFHKNPRTVWXY')}{r.randint(1, 9)}" \
         f"{r.choice('ACDEFHKNPRTVWXY')}{r.randint(1, 9)}"
    return (f"Apartment {r.randint(1, 80)}, The Maltings", [], [r.choice(["Ballsbridge", "Rathmines", "Ranelagh"])],
            f"Dublin {r.choice([4, 6, 8])}, {pc}", pc) if r.random() < 0.5 else (
        f"{_n(r, 1, 90)} {r.choice(['Bóthar na Trá', 'Church Road', 'Pearse Street'])}", [], [],
        f"{r.choice(['Galway', 'Cork', 'Limerick'])} {pc}", pc)


def addr_au(r):
    pc = f"{r.randint(2000, 7999)}"
    state = r.choice(["VIC", "NSW", "QLD", "WA", "SA"])
    town = r.choice(["Fitzroy", "Newtown", "Fortitude Valley", "Fremantle", "Glenelg"])
    return (f"Unit {r.randint(1, 20)}/{_n(r, 1, 200)} {r.choice(['Wattle St', 'Brunswick Rd', 'Banksia Crescent'])}",
            [], [], f"{town} {state} {pc}", pc)


def addr_nz(r):
    pc = f"{r.randint(1000, 9999)}"
    return (f"{_n(r, 1, 150)} {r.choice(['Kōwhai Road', 'Ponsonby Road', 'Tory Street', 'Karangahape Road'])}", [],
            [r.choice(["Ponsonby", "Te Aro", "Riccarton"])], f"{r.choice(['Auckland', 'Wellington', 'Christchurch'])} {pc}",
            pc)


def addr_in(r):
    pc = f"{r.randint(110001, 700099)}"
    return (f"Flat {r.randint(101, 1204)}, {r.choice(['Sai Krupa Apartments', 'Shanti Niketan', 'Green Glen Layout'])}",
            [f"{r.randint(1, 12)}th Cross, {r.choice(['Indiranagar', 'Koramangala', 'Andheri West', 'Salt Lake'])}"],
            [], f"{r.choice(['Bengaluru', 'Mumbai', 'Kolkata', 'Pune'])} {pc}" if r.random() < 0.5 else
            f"{r.choice(['Bengaluru', 'Mumbai', 'Kolkata', 'Pune'])} - {pc}", pc)


def addr_ng(r):
    return (f"Plot {r.randint(1, 400)}, {r.choice(['Adeola Odeku Street', 'Admiralty Way', 'Aminu Kano Crescent'])}",
            [], [r.choice(["Victoria Island", "Lekki Phase 1", "Wuse 2"])], r.choice(["Lagos", "Abuja"]) + " State"
            if r.random() < 0.3 else r.choice(["Lagos", "Abuja"]), "")


def addr_ke(r):
    pc = f"{r.randint(100, 99999)}-00{r.randint(100, 620)}"
    return f"P.O. Box {pc}", [], [], r.choice(["Nairobi", "Mombasa", "Kisumu"]), pc


def addr_jp(r):
    pc = f"{r.randint(100, 999)}-{r.randint(0, 9999):04d}"
    return (f"{r.randint(1, 5)}-{r.randint(1, 30)}-{r.randint(1, 20)} {r.choice(['Jingumae', 'Ebisu', 'Umeda'])}",
            [], [r.choice(["Shibuya-ku", "Kita-ku", "Chuo-ku"])], f"{r.choice(['Tokyo', 'Osaka'])} {pc}", pc)


def addr_kr(r):
    pc = f"{r.randint(1000, 63999):05d}"
    return (f"{_n(r, 1, 500)} {r.choice(['Teheran-ro', 'Sejong-daero', 'Olympic-ro', 'Dosan-daero 45-gil'])}",
            [], [r.choice(["Gangnam-gu", "Jung-gu", "Songpa-gu"])], f"Seoul {pc}", pc)


def addr_vn(r):
    return (f"{_n(r, 1, 300)} {r.choice(['Lý Thường Kiệt', 'Nguyễn Huệ', 'Trần Hưng Đạo', 'Hai Bà Trưng'])}", [],
            [r.choice(["Hoàn Kiếm", "Quận 1", "Hải Châu"])], r.choice(["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng"]), "")


def addr_mx(r):
    pc = f"{r.randint(1000, 99999):05d}"
    return (f"Av. Insurgentes Sur {_n(r, 100, 3000)}" if r.random() < 0.5 else
            f"Calle {r.choice(['Durango', 'Orizaba', 'Tonalá'])} {_n(r, 1, 400)}, int. {r.randint(1, 12)}",
            [], [f"Col. {r.choice(['Roma Norte', 'Condesa', 'Del Valle'])}"], f"{pc} Ciudad de México, CDMX", pc)


def addr_ar(r):
    pc = f"C{r.randint(1000, 1499)}{r.choice('ABCD')}{r.choice('ABCD')}{r.choice('ABCD')}"
    return (f"Av. Corrientes {_n(r, 100, 6000)}, piso {r.randint(1, 12)}, depto {r.choice('ABCDE')}", [], [],
            f"{pc} CABA", pc)


def addr_tr(r):
    pc = f"34{r.randint(100, 999)}"
    return (f"{r.choice(['Bağdat Caddesi', 'Moda Caddesi', 'Atatürk Bulvarı'])} No: {_n(r, 1, 300)} D: {r.randint(1, 20)}",
            [], [r.choice(["Kadıköy", "Beşiktaş", "Çankaya"])], f"{pc} İstanbul", pc)


def addr_sg(r):
    pc = f"{r.randint(100000, 829999)}"
    return (f"Blk {_n(r, 1, 700)} {r.choice(['Ang Mo Kio Ave 3', 'Tampines St 21', 'Bedok North Rd'])}",
            [f"#{r.randint(1, 25):02d}-{r.randint(1, 300):02d}"], [], f"Singapore {pc}", pc)


def addr_za(r):
    pc = f"{r.randint(1, 9999):04d}"
    return (f"{_n(r, 1, 90)} {r.choice(['Jacaranda Avenue', 'Rivonia Road', 'Long Street'])}", [],
            [r.choice(["Sandton", "Observatory", "Melville"])], f"{r.choice(['Johannesburg', 'Cape Town'])} {pc}", pc)


def addr_ae(r):
    return (f"Villa {r.randint(1, 90)}, Street {r.randint(1, 40)}", [], [r.choice(["Al Barsha 2", "Jumeirah 1",
                                                                                    "Al Khalidiyah"])],
            r.choice(["Dubai", "Abu Dhabi"]), "")


COUNTRIES = [addr_de, addr_at, addr_ch, addr_fr, addr_es, addr_br, addr_it, addr_nl, addr_pl, addr_cz, addr_nordic,
             addr_uk, addr_us, addr_ca, addr_ie, addr_au, addr_nz, addr_in, addr_ng, addr_ke, addr_jp, addr_kr,
             addr_vn, addr_mx, addr_ar, addr_tr, addr_sg, addr_za, addr_ae]
# the countries whose postcode is worth asking about alone
POSTCODE_COUNTRIES = [c for c in COUNTRIES if c not in (addr_ng, addr_vn, addr_ae)]

# -- numbers -----------------------------------------------------------------------------------------


def _digits(r, n: int) -> str:
    return "".join(str(r.randint(0, 9)) for _ in range(n))


def phone(r) -> str:
    """National groupings as people type them (digits made up; prefixes plausible)."""
    shapes = [
        lambda: f"030 {_digits(r, 4)} {_digits(r, 4)}",                      # DE landline
        lambda: f"0{r.choice('67')} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}",  # FR
        lambda: f"6{_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}",  # ES mobile
        lambda: f"(11) 9{_digits(r, 4)}-{_digits(r, 4)}",                     # BR mobile
        lambda: f"0{r.choice('789')}0-{_digits(r, 4)}-{_digits(r, 4)}",         # JP mobile
        lambda: f"010-{_digits(r, 4)}-{_digits(r, 4)}",                       # KR mobile
        lambda: f"080{r.randint(2, 9)} {_digits(r, 3)} {_digits(r, 4)}",       # NG mobile
        lambda: f"07{_digits(r, 2)} {_digits(r, 6)}",                         # KE mobile
        lambda: f"+90 5{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}",  # TR
        lambda: f"9{_digits(r, 4)} {_digits(r, 5)}",                          # IN mobile
        lambda: f"07{_digits(r, 3)} {_digits(r, 6)}",                         # UK mobile
        lambda: f"({r.randint(201, 989)}) {r.randint(201, 989)}-{_digits(r, 4)}",  # US
        lambda: f"+47 {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 3)}",        # NO
        lambda: f"08-{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}",         # SE Stockholm
        lambda: f"+84 9{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 4)}",       # VN
        lambda: f"09{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 4)}",          # PH mobile
        lambda: f"+971 5{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 4)}",      # AE
        lambda: f"0{r.randint(2, 9)}{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 4)}",  # ZA
        lambda: f"+48 {_digits(r, 3)}-{_digits(r, 3)}-{_digits(r, 3)}",        # PL
        lambda: f"06-{_digits(r, 8)}",                                         # NL mobile
    ]
    return r.choice(shapes)()


def card(r) -> str:
    prefix = r.choice(["4", "51", "55", "37", "6011", "35"])
    length = 15 if prefix == "37" else 16
    body = prefix + _digits(r, length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    digits = body + str((10 - total % 10) % 10)
    groups = (4, 6, 5) if length == 15 else r.choice([(4, 4, 4, 4), (4, 4, 4, 4), (8, 8)])
    out, i = [], 0
    for g in groups:
        out.append(digits[i : i + g])
        i += g
    return r.choice([" ", "-", " "]).join(out)


IBAN_SHAPES = {"DE": 18, "FR": 23, "ES": 20, "NL": None, "IT": None, "PL": 24, "NO": 11, "BE": 12, "PT": 21,
               "SE": 20, "IE": None, "FI": 14, "AT": 16, "CH": 17}


def iban(r) -> str:
    country = r.choice(sorted(IBAN_SHAPES))
    if country == "NL":
        bban = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _digits(r, 10)
    elif country == "IT":
        bban = r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _digits(r, 22)
    elif country == "IE":
        bban = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _digits(r, 14)
    else:
        bban = _digits(r, IBAN_SHAPES[country])
    number = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(number) % 97
    value = f"{country}{check:02d}{bban}"
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if r.random() < 0.6 else value


def email(r, name: str) -> str:
    base = "".join(ch for ch in name.lower().split()[0] if ch.isascii() and ch.isalpha()) or "user"
    return f"{base}{r.choice(['', '.', '_'])}{r.randint(1, 99)}@{r.choice(['mailbox.org', 'posteo.de', 'yahoo.co.jp', 'naver.com', 'gmail.com', 'outlook.fr', 'web.de'])}"


# -- a labelled message ------------------------------------------------------------------------------
Msg = Builder


def add_address(r, m: Msg, sep: str, country=None, pieces: bool = True) -> None:
    """An address piece by piece, pieces joined by `sep` (a newline for a postal block, ", " inline)."""
    street, units, districts, town, _ = (country or r.choice(COUNTRIES))(r)
    lines = [street, *units, *districts, *town.split("\n")]
    for i, line in enumerate(lines):
        if i:
            m.add(sep)
        m.add(line, "ADDRESS")


# -- templates ---------------------------------------------------------------------------------------
def t_sentence_subject(r, p, m):
    m.add(p.single_first(), "PERSON")
    m.add(r.choice([" says the boiler is leaking again, what should I tell the landlord?",
                    " finally passed the driving test!", " can't come on Friday because of work.",
                    " wants me to proofread her thesis introduction.", " borrowed my drill and never returned it.",
                    " told me the meeting moved to 3pm."]))


def t_friend(r, p, m):
    m.add(r.choice(["My friend ", "My colleague ", "Our neighbour ", "My sister-in-law ", "My coworker "]))
    m.add(p.first() if r.random() < 0.6 else p.full(), "PERSON")
    m.add(r.choice([" keeps forgetting my birthday. Any gift ideas for next year?",
                    " asked me to recommend a good budgeting app.", " is moving abroad, how do I write a farewell card?",
                    " and I disagree about splitting the bill."]))


def t_list(r, p, m):
    names = [p.single_first() for _ in range(r.randint(3, 5))]
    m.add(r.choice(["Seating plan: ", "The team this sprint is ", "Please split the costs between ",
                    "Carpool today: "]))
    for i, name in enumerate(names):
        if i:
            m.add(r.choice([" and ", " & "]) if i == len(names) - 1 else ", ")
        m.add(name, "PERSON")
    m.add(r.choice([".", " - how many cars do we need?", ". Make it fair please."]))


def t_chatlog(r, p, m):
    a, b = p.single_first(), p.single_first()
    m.add(f"[{r.randint(8, 22):02d}:{r.randint(0, 59):02d}] ")
    m.add(a, "PERSON")
    m.add(r.choice([": are we still on for tonight?\n", ": running late, sorry\n"]))
    m.add(f"[{r.randint(8, 22):02d}:{r.randint(0, 59):02d}] ")
    m.add(b, "PERSON")
    m.add(r.choice([": yes, 7 at the usual place\n", ": no worries\n"]))
    m.add("Summarise this chat in one line.")


def t_lower_chat(r, p, m):
    name = p.single_first(wordlike=False)
    m.add(r.choice(["ok so ", "lol ", "hey, ", "", "btw "]))
    m.add(name, "PERSON")
    m.add(r.choice([" said she can pick up the kids at 5, is that ok", " is coming over later, what should i cook",
                    " just texted me, can you help me answer politely", " and i broke up, how do i move on"]))
    return "lower"


def t_lower_address(r, p, m):
    name = p.single_first(wordlike=False)
    m.add(r.choice(["can u help me write to ", "need a note for ", "pls draft a msg to "]))
    m.add(name, "PERSON")
    m.add(r.choice([" saying the parcel goes to ", " that my new address is ", " that we moved to "]))
    add_address(r, m, ", ", r.choice([addr_de, addr_nl, addr_pl, addr_es, addr_it, addr_uk, addr_nordic, addr_fr]))
    return "lower"


def t_form(r, p, m):
    person = p.full()
    label = r.choice(["Name:", "Full name:", "Nombre:", "Navn:", "Contact person:", "Applicant:"])
    if r.random() < 0.5:
        m.add(f"{label}\n")
    else:
        m.add(f"{label} ")
    m.add(person, "PERSON")
    m.add("\n" + r.choice(["Address:", "Adresse:", "Dirección:", "Home address:"]) + "\n")
    add_address(r, m, "\n")
    m.add("\n" + r.choice(["Phone: ", "Tel.: ", "Mobile: ", "Telefon: "]))
    m.add(phone(r), "PHONE_NUMBER")
    if r.random() < 0.5:
        m.add("\nE-mail: ")
        m.add(email(r, person), "EMAIL_ADDRESS")
    m.add("\n\n" + r.choice(["Is this form complete?", "Translate this form into English.",
                             "Turn this into a polite cover letter."]))


def t_envelope(r, p, m):
    m.add(r.choice(["How do I format this for an envelope?\n\n", "Check this address for typos:\n",
                    "Will this reach them?\n"]))
    m.add(p.full(), "PERSON")
    m.add("\n")
    add_address(r, m, "\n")


def t_inline_address(r, p, m):
    m.add(r.choice(["The interview is at ", "Please send the spare keys to ", "The workshop has moved to ",
                    "Our new office: ", "Meet me outside "]))
    add_address(r, m, ", ")
    m.add(r.choice([". How long does it take by bus from the station?", ", is parking easy there?",
                    " - can you write directions?", "."]))


def t_postcode_alone(r, p, m):
    country = r.choice(POSTCODE_COUNTRIES)
    pc = country(r)[4]
    if not pc:
        pc = f"{r.randint(10000, 99999)}"
    m.add(r.choice(["Is ", "Does the courier deliver to postcode ", "What's the nearest pharmacy to zip ",
                    "My PLZ is ", "CEP ", "Our pin code is ", "Postal code: ", "Which district is postcode "]))
    m.add(pc, "ADDRESS")
    m.add(r.choice([" in the free-shipping zone?", "?", " - is that rural?", ", how far is the airport?"]))


def t_signature(r, p, m):
    person = p.full()
    m.add(r.choice(["Please make this email sound friendlier:\n\n", "Shorten this:\n\n"]))
    m.add(r.choice(["Sorry for the late reply, the documents are attached.\n\n",
                    "Happy to join the call next week.\n\n"]))
    m.add(r.choice(["Best,\n", "Kind regards\n", "Cheers,\n", "Med vennlig hilsen\n", "Saludos,\n", "--\n"]))
    m.add(person, "PERSON")
    m.add("\n")
    if r.random() < 0.5:
        add_address(r, m, "\n")
        m.add("\n")
    m.add(phone(r), "PHONE_NUMBER")


def t_quoted(r, p, m):
    a, b = p.full(), p.single_first()
    m.add(r.choice(["> On Tue, ", "> "]))
    m.add(a, "PERSON")
    m.add(r.choice([" wrote:\n", " <" + email(r, a) + "> wrote:\n"]))
    if "<" in m.parts[-1]:
        # label the e-mail inside the header
        piece = m.parts.pop()
        m.length -= len(piece)
        m.add(" <")
        m.add(piece[2:-9], "EMAIL_ADDRESS")
        m.add("> wrote:\n")
    m.add(r.choice(["> please ask ", "> tell "]))
    m.add(b, "PERSON")
    m.add(" to bring the signed contract.\n\nWrite a short reply saying yes.")


def t_header(r, p, m):
    a, b = p.full(), p.full()
    m.add("From: ")
    m.add(a, "PERSON")
    m.add("\nTo: ")
    m.add(b, "PERSON")
    m.add("\nSubject: " + r.choice(["invoice", "Re: flat viewing", "Fwd: schedule"]) + "\n\n")
    m.add(r.choice(["What tone does this email have?", "Reply on my behalf, briefly."]))


def t_csv(r, p, m):
    m.add("Clean up this CSV:\nname,phone,city\n")
    for _ in range(r.randint(2, 3)):
        person = p.full()
        m.add(person, "PERSON")
        m.add(",")
        m.add(phone(r), "PHONE_NUMBER")
        m.add(",")
        m.add(r.choice(["Lagos", "Hanoi", "Bergen", "Lviv", "Daegu", "Cuenca", "Kumasi"]))
        m.add("\n")


def t_table(r, p, m):
    m.add("| Guest | Room |\n|---|---|\n")
    for _ in range(r.randint(2, 3)):
        m.add("| ")
        m.add(p.full(), "PERSON")
        m.add(f" | {r.randint(101, 420)} |\n")
    m.add("Sort this table by room.")


def t_phone_chat(r, p, m):
    m.add(r.choice(["Can you call ", "Text ", "Ring ", "WhatsApp "]))
    m.add(p.full() if r.random() < 0.5 else p.first(), "PERSON")
    m.add(r.choice([" on ", " at "]))
    m.add(phone(r), "PHONE_NUMBER")
    m.add(r.choice([" and say I'm running late?", " tomorrow morning - what should I say?", "."]))


def t_number_alone(r, p, m):
    m.add(r.choice(["new number: ", "my cell is ", "Reach me at ", "Tel ", "mob. "]))
    m.add(phone(r), "PHONE_NUMBER")
    m.add(r.choice(["", " (evenings)", ", thanks"]))


def t_payment(r, p, m):
    person = p.full()
    if r.random() < 0.5:
        m.add("Pay the deposit to ")
        m.add(iban(r), "IBAN_CODE")
        m.add(", account holder ")
        m.add(person, "PERSON")
        m.add(". Is a transfer safe?")
    else:
        m.add("The card ")
        m.add(card(r), "CREDIT_CARD")
        m.add(" in the name of ")
        m.add(person, "PERSON")
        m.add(" was charged twice. Draft a dispute letter.")


def t_possessive(r, p, m):
    m.add(r.choice(["I'm staying at ", "We had dinner at ", "The keys are at "]))
    m.add(p.full(), "PERSON")
    m.add(r.choice(["'s place this week.", "'s flat near the park.", "'s house."]))


def t_with_verb(r, p, m):
    m.add(r.choice(["Yesterday ", "This morning ", "Last week ", "On Monday "]))
    m.add(p.full() if r.random() < 0.5 else p.single_first(), "PERSON")
    m.add(r.choice([" called to cancel the booking.", " sent me the wrong file.", " mentioned a job opening.",
                    " and I finished the report."]))


def t_greeting(r, p, m):
    m.add(r.choice(["Hi ", "Dear ", "Hello ", "Hej ", "Hola ", "Salut "]))
    m.add(p.single_first(), "PERSON")
    m.add(r.choice([",\nthanks for the quick reply. ", ", "]))
    m.add(r.choice(["Could you fix the grammar in this?", "make this less formal please"]))


def t_json(r, p, m):
    person = p.full()
    m.add('Validate this JSON: {"customer": "')
    m.add(person, "PERSON")
    m.add('", "phone": "')
    m.add(phone(r), "PHONE_NUMBER")
    m.add('", "email": "')
    m.add(email(r, person), "EMAIL_ADDRESS")
    m.add('"}')


def t_delivery_note(r, p, m):
    m.add(r.choice(["Delivery instructions: leave it with ", "If I'm out, give the parcel to "]))
    m.add(p.full(), "PERSON")
    m.add(r.choice([" at ", " in "]))
    add_address(r, m, ", ", r.choice([addr_uk, addr_us, addr_au, addr_ca, addr_ie, addr_nz, addr_za, addr_sg]))
    m.add(".")


def t_ip(r, p, m):
    before, after = r.choice([("Why is ", " logging into my account?"), ("Someone at ", " keeps spamming the form."),
                              ("How do I block ", " on the router?")])
    m.add(before)
    m.add(f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "IP_ADDRESS")
    m.add(after)


TEMPLATES = [
    (t_sentence_subject, 3), (t_friend, 2), (t_list, 2), (t_chatlog, 2), (t_lower_chat, 2), (t_lower_address, 2),
    (t_form, 3), (t_envelope, 3), (t_inline_address, 3), (t_postcode_alone, 2), (t_signature, 2), (t_quoted, 1),
    (t_header, 1), (t_csv, 1), (t_table, 1), (t_phone_chat, 2), (t_number_alone, 1), (t_payment, 2),
    (t_possessive, 1), (t_with_verb, 2), (t_greeting, 2), (t_json, 1), (t_delivery_note, 2), (t_ip, 1),
]


def build() -> list[dict]:
    r = random.Random(SEED)
    people = People(r)
    funcs = [t for t, w in TEMPLATES for _ in range(w)]
    rows = []
    for _ in range(N_MESSAGES):
        m = Msg()
        how = r.choice(funcs)(r, people, m)
        row = m.row(lower=how == "lower")
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], s
        rows.append(row)
    return rows


def main() -> None:
    with open(HERE / "pii_heldout2.jsonl", "w", encoding="utf-8") as fh:
        for row in build():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
