"""Small built-in word lists: places, nationalities, titles, name particles.

Used by the rule-based fallback (to recognise places and groups without a
model) and by the cleaner (titles are not part of names; known places are
never re-labelled by document voting).  Plain data, no imports.
"""

from __future__ import annotations

COUNTRIES = """
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan
Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia
Botswana Brazil Brunei Bulgaria Burkina Burundi Cambodia Cameroon Canada Chad Chile China
Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt
Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana
Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran
Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait
Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg
Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia
Moldova Monaco Mongolia Montenegro Morocco Mozambique Myanmar Burma Namibia Nauru Nepal
Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palau Palestine Panama Paraguay
Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Senegal Serbia
Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland
Syria Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Türkiye Turkmenistan
Tuvalu Uganda Ukraine Uruguay Uzbekistan Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe
Britain England Scotland Wales America Europe Asia Africa Antarctica Oceania Tibet Xinjiang
Greenland Hong_Kong Macau Macao Puerto_Rico North_Korea South_Korea Saudi_Arabia
United_States United_Kingdom United_Arab_Emirates New_Zealand South_Africa Sri_Lanka
Costa_Rica El_Salvador Ivory_Coast Sierra_Leone Papua_New_Guinea Czech_Republic
Dominican_Republic East_Timor Timor-Leste North_Macedonia Cape_Verde Equatorial_Guinea
Great_Britain Northern_Ireland Latin_America Middle_East South_America North_America
Central_America Southeast_Asia East_Asia Western_Europe Eastern_Europe Vatican_City
San_Marino Marshall_Islands Solomon_Islands Trinidad Gaza West_Bank Crimea Kashmir
"""

CITIES_AND_REGIONS = """
Beijing Shanghai Shenzhen Guangzhou Tianjin Chongqing Wuhan Chengdu Hangzhou Nanjing Xian
Guiyang Hainan Guangdong Fujian Zhejiang Jiangsu Sichuan Hubei Henan Shandong Yunnan Harbin
Tokyo Osaka Kyoto Seoul Pyongyang Taipei Manila Jakarta Bangkok Hanoi Kuala_Lumpur
Delhi New_Delhi Mumbai Bangalore Kolkata Chennai Karachi Lahore Islamabad Dhaka Kabul
Tehran Baghdad Riyadh Dubai Doha Ankara Istanbul Jerusalem Tel_Aviv Beirut Damascus Cairo
Moscow Kyiv Kiev Minsk Warsaw Berlin Munich Frankfurt Hamburg Paris Lyon Marseille London
Manchester Edinburgh Dublin Brussels Amsterdam Rotterdam The_Hague Geneva Zurich Vienna
Prague Budapest Rome Milan Madrid Barcelona Lisbon Athens Stockholm Oslo Copenhagen
Helsinki Lagos Nairobi Johannesburg Cape_Town Addis_Ababa Toronto Montreal Vancouver
Ottawa Washington New_York Los_Angeles Chicago Houston Boston Seattle San_Francisco
Miami Atlanta Dallas Detroit Philadelphia Denver Phoenix Las_Vegas Silicon_Valley
Wall_Street Florida California Texas Alaska Hawaii Ohio Michigan Virginia Iowa Nevada
Arizona Oregon Illinois Pennsylvania Massachusetts Mexico_City Havana Caracas Bogota
Lima Santiago Buenos_Aires Sao_Paulo Rio_de_Janeiro Brasilia Sydney Melbourne Canberra
Auckland Wellington Singapore Hong_Kong Davos Brexit_Britain
"""

NATIONALITIES = """
Afghan Albanian Algerian American Americans Argentine Argentinian Armenian Asian Australian
Austrian Belgian Brazilian British Bulgarian Burmese Cambodian Canadian Chilean Chinese
Colombian Croatian Cuban Czech Danish Dutch Egyptian English Ethiopian European Europeans
Filipino Finnish French German Germans Ghanaian Greek Hungarian Indian Indonesian Iranian
Iraqi Irish Israeli Italian Japanese Jordanian Kenyan Korean Kurdish Lebanese Libyan
Malaysian Mexican Mongolian Moroccan Nigerian Norwegian Pakistani Palestinian Peruvian
Polish Portuguese Romanian Russian Russians Saudi Scottish Serbian Singaporean Somali
Spanish Swedish Swiss Syrian Taiwanese Thai Tibetan Turkish Ukrainian Uyghur Uighur
Venezuelan Vietnamese Welsh Yemeni African Africans Arab Arabs Latino Hispanic Muslim
Muslims Christian Christians Jewish Jews Catholic Buddhist Hindu Sunni Shiite Democrat
Democrats Republican Republicans Communist Communists Western Westerners Sino-American
"""

#: Words that precede a person's name and are not part of it.
TITLES = frozenset(
    """
    Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Mx. Dr Dr. Prof Prof. Professor Sir Dame
    Sen Sen. Senator Rep Rep. Representative Gov Gov. Governor Gen Gen. General Adm Adm.
    Col Col. Lt Lt. Capt Capt. Sgt Sgt. Rev Rev. Rabbi Imam
    President Vice Premier Prime Minister Secretary Chancellor Chairman Chairwoman Chair
    Chief Executive CEO Speaker Mayor Ambassador
    Commissioner Director Judge Justice Attorney Deputy Leader Spokesman Spokeswoman
    Spokesperson Minister Trade Representative Treasury Commerce Foreign Defense State
    Finance Labor Interior Economic Advisor Adviser Officer Analyst Editor Founder Coach
    Detective Inspector Officer Agent Sheriff Senior Junior Former Acting Then-President
    then-President then-Speaker then-Vice Executive Managing Head Secretary-General
    Vice-Premier Vice-President Councillor Councilor Chief-Executive Pres. Supt. Insp.
    """.split()
)

#: Titles that by themselves announce a person (used by the fallback).
PERSON_TITLES = frozenset(
    """
    Mr. Mrs. Ms. Dr. Prof. Sen. Rep. Gov. Gen. Adm. Col. Lt. Capt. Sgt. Rev. Mr Mrs Ms Dr
    President Premier Secretary Chancellor Minister Senator Governor Mayor Speaker Judge
    Justice Ambassador Chairman Chairwoman Commissioner Representative Spokesman
    Spokeswoman Professor Sir Dame
    """.split()
)

#: Lower-case prefixes of names whose next capital is not glued debris
#: (McConnell, MacArthur, DeSantis, DiCaprio, LaGuardia, LeBron, O'Brien...).
NAME_PREFIXES = frozenset(
    "mc mac de di da du la le van von der den ten ter al el fitz st o d ja da le".split()
)

#: Common family names written first (Chinese, Korean, Vietnamese): ``Mr. Li``
#: refers to ``Li Keqiang``, not to a person whose *given* name is Li.
EAST_ASIAN_SURNAMES = frozenset(
    """
    Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo
    Zheng Liang Xie Song Tang Xi Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai
    Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Lu Jin Wen Meng Qin Bo Lai Fu Fang
    Yan Kong Bai Cui Kang Mao Qiu Qian Yin Xiong Jia Gu Hou Shao Wan Duan Lei Qian Tan
    Kim Park Lee Choi Jung Kang Cho Yoon Jang Lim Moon Shin Yoo Nguyen Tran Le Pham Hoang
    Hun Ho Ri Kwon Chung Ahn Hwang Song Oh Seo Han Jeon Ko Yun Kuo Chiang Tsai Lai Ma
    """.split()
)

#: Weekday and month names (the fallback's date patterns, and never a name).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


def _names(block: str) -> frozenset[str]:
    return frozenset(word.replace("_", " ") for word in block.split())


PLACES: frozenset[str] = _names(COUNTRIES) | _names(CITIES_AND_REGIONS)
GROUPS: frozenset[str] = _names(NATIONALITIES)
PLACES_FOLDED: frozenset[str] = frozenset(p.casefold() for p in PLACES)

#: Common English words: a capitalised one at the start of a sentence is the
#: word, not a name ("He said", "Rice prices rose") -- used when spreading a
#: name found in an article to its other, unrecognised occurrences.
COMMON_WORDS = frozenset(
    """
    a about above after again against all also although always among an and another any are around as
    at back be because been before being below between both but by can could did do does down during
    each even ever every few first for from further had has have he her here hers him his how however
    i if in into is it its just last least less like many may me might more most much must my near
    neither never new next no nor not now of off often on once one only or other our out over own
    per perhaps rather same several she should since so some still such than that the their them then
    there these they this those though through thus to too under until up upon us very was we well
    were what when where whether which while who whom whose why will with within without would yet
    you your
    add after asked bank bill black brown bush call can case chase china cook court day days early
    fall ford gold green hall hill house king land law lee long major march may miles mark may
    power price rice rose say says said see she smith spring state states still stone summer sun
    trade trust turkey union wall war washington water white will win winter wood work world young
    he she it they we
    """.split()
)

#: Country names that are also common given names or words: a model's PERSON
#: or ORG label on them is not overridden.
AMBIGUOUS_COUNTRIES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "America", "Turkey", "Guinea", "Niger"})
COUNTRY_NAMES: frozenset[str] = _names(COUNTRIES) - AMBIGUOUS_COUNTRIES - frozenset(
    {"Europe", "Asia", "Africa", "Antarctica", "Oceania", "Latin America", "Middle East", "South America",
     "North America", "Central America", "Southeast Asia", "East Asia", "Western Europe", "Eastern Europe"}
)

#: Words right before a name that make it a person's name whatever the model
#: says ("Chancellor Olaf Scholz" tagged ORG).
PERSON_CUES = frozenset(
    """Mr. Mrs. Ms. Dr. Mr Mrs Ms Dr Prof. Sen. Rep. Gov. Gen. Adm. Col. Lt. Capt. Sgt. Rev.
    President Premier Chancellor Minister Secretary Senator Governor Mayor Speaker Judge Justice
    Ambassador Chairman Chairwoman Commissioner Spokesman Spokeswoman Spokesperson CEO
    Director-General Secretary-General Vice-President Vice-Premier Congressman Congresswoman
    Councilman Councilwoman Lawmaker Sheikh Sir Dame""".split()
)

#: Political parties by the one name they go by: organisations, whatever the
#: model says ("Labour said" is tagged PERSON).
PARTIES: frozenset[str] = _names(
    """Labour Tories Conservatives Lib_Dems Liberal_Democrats UKIP Ukip SNP Plaid_Cymru Sinn_Fein DUP Likud
    Fatah Hamas Hezbollah Kuomintang KMT BJP ANC"""
)

#: Awards, by the one word they go by: not people ("Oscar" is tagged PERSON).
AWARDS: frozenset[str] = _names("Oscar Oscars Bafta Baftas Grammy Grammys Emmy Emmys Golden_Globe Golden_Globes")
