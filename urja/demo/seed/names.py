"""Name lists for synthetic data: people (Hindi and English, Hindu and Muslim), firms, places.

Every entry is an (English, Hindi) pair so a consumer's ``name`` and ``name_hi`` always agree. District
coordinates are approximate district headquarters; PIN codes are those of the headquarters post office.
The allocation of districts to discoms follows the published service areas closely but is illustrative:
it only has to look right in a demo, not settle a boundary.
"""

from __future__ import annotations

from typing import NamedTuple

Pair = tuple[str, str]


class District(NamedTuple):
    name: str
    name_hi: str
    lat: float
    lon: float
    pin: int
    town: str  # headquarters town (urban consumers live here)
    town_hi: str
    places: tuple[Pair, ...]  # tehsil / block towns, used for rural distribution centres


class DiscomSpec(NamedTuple):
    code: str
    prefix: str  # short prefix of every office code below the discom
    digit: int  # first digit of the account number
    name: str
    name_hi: str
    share: float  # share of the state's consumers
    rural: float  # share of the discom's consumers that are rural
    muslim: float  # share of account holders with Muslim names (names only; flavours the demo)
    districts: tuple[District, ...]


def _d(name, name_hi, lat, lon, pin, town, town_hi, *places):
    return District(name, name_hi, lat, lon, pin, town, town_hi, tuple(places))


# fmt: off
MVVNL_DISTRICTS = (
    _d("Lucknow", "लखनऊ", 26.85, 80.95, 226001, "Lucknow", "लखनऊ",
       ("Malihabad", "मलिहाबाद"), ("Mohanlalganj", "मोहनलालगंज"), ("Bakshi Ka Talab", "बख्शी का तालाब"), ("Gosainganj", "गोसाईंगंज"), ("Sarojini Nagar", "सरोजनी नगर")),
    _d("Barabanki", "बाराबंकी", 26.93, 81.19, 225001, "Barabanki", "बाराबंकी",
       ("Nawabganj", "नवाबगंज"), ("Ramsanehighat", "रामसनेहीघाट"), ("Haidergarh", "हैदरगढ़"), ("Fatehpur", "फ़तेहपुर")),
    _d("Sitapur", "सीतापुर", 27.57, 80.68, 261001, "Sitapur", "सीतापुर",
       ("Biswan", "बिसवां"), ("Mahmudabad", "महमूदाबाद"), ("Laharpur", "लहरपुर"), ("Misrikh", "मिश्रिख"), ("Sidhauli", "सिधौली")),
    _d("Hardoi", "हरदोई", 27.40, 80.13, 241001, "Hardoi", "हरदोई",
       ("Sandila", "संडीला"), ("Shahabad", "शाहाबाद"), ("Bilgram", "बिलग्राम"), ("Sawayajpur", "सवायजपुर")),
    _d("Lakhimpur Kheri", "लखीमपुर खीरी", 27.95, 80.78, 262701, "Lakhimpur", "लखीमपुर",
       ("Gola Gokarannath", "गोला गोकर्णनाथ"), ("Mohammadi", "मोहम्मदी"), ("Palia Kalan", "पलिया कलां"), ("Nighasan", "निघासन")),
    _d("Raebareli", "रायबरेली", 26.23, 81.23, 229001, "Raebareli", "रायबरेली",
       ("Lalganj", "लालगंज"), ("Dalmau", "डलमऊ"), ("Salon", "सलोन"), ("Unchahar", "ऊंचाहार")),
    _d("Unnao", "उन्नाव", 26.55, 80.49, 209801, "Unnao", "उन्नाव",
       ("Safipur", "सफीपुर"), ("Hasanganj", "हसनगंज"), ("Purwa", "पुरवा"), ("Bangarmau", "बांगरमऊ")),
    _d("Ayodhya", "अयोध्या", 26.78, 82.13, 224001, "Ayodhya", "अयोध्या",
       ("Rudauli", "रुदौली"), ("Milkipur", "मिल्कीपुर"), ("Bikapur", "बीकापुर"), ("Sohawal", "सोहावल")),
    _d("Sultanpur", "सुल्तानपुर", 26.26, 82.07, 228001, "Sultanpur", "सुल्तानपुर",
       ("Kadipur", "कादीपुर"), ("Lambhua", "लम्भुआ"), ("Jaisinghpur", "जयसिंहपुर")),
    _d("Amethi", "अमेठी", 26.15, 81.81, 227405, "Gauriganj", "गौरीगंज",
       ("Musafirkhana", "मुसाफिरखाना"), ("Tiloi", "तिलोई"), ("Jagdishpur", "जगदीशपुर")),
    _d("Ambedkar Nagar", "अम्बेडकर नगर", 26.43, 82.54, 224122, "Akbarpur", "अकबरपुर",
       ("Tanda", "टांडा"), ("Jalalpur", "जलालपुर"), ("Alapur", "आलापुर")),
    _d("Bahraich", "बहराइच", 27.57, 81.60, 271801, "Bahraich", "बहराइच",
       ("Nanpara", "नानपारा"), ("Kaiserganj", "कैसरगंज"), ("Mahsi", "महसी"), ("Payagpur", "पयागपुर")),
    _d("Gonda", "गोंडा", 27.13, 81.96, 271001, "Gonda", "गोंडा",
       ("Colonelganj", "कर्नलगंज"), ("Mankapur", "मनकापुर"), ("Tarabganj", "तरबगंज")),
    _d("Balrampur", "बलरामपुर", 27.43, 82.18, 271201, "Balrampur", "बलरामपुर",
       ("Tulsipur", "तुलसीपुर"), ("Utraula", "उतरौला")),
    _d("Shravasti", "श्रावस्ती", 27.50, 81.83, 271831, "Bhinga", "भिनगा",
       ("Ikauna", "इकौना"), ("Jamunaha", "जमुनहा")),
    _d("Bareilly", "बरेली", 28.37, 79.43, 243001, "Bareilly", "बरेली",
       ("Aonla", "आंवला"), ("Baheri", "बहेड़ी"), ("Faridpur", "फरीदपुर"), ("Meerganj", "मीरगंज")),
    _d("Badaun", "बदायूं", 28.03, 79.12, 243601, "Badaun", "बदायूं",
       ("Sahaswan", "सहसवान"), ("Bisauli", "बिसौली"), ("Ujhani", "उझानी"), ("Dataganj", "दातागंज")),
    _d("Pilibhit", "पीलीभीत", 28.63, 79.80, 262001, "Pilibhit", "पीलीभीत",
       ("Puranpur", "पूरनपुर"), ("Bisalpur", "बीसलपुर"), ("Amariya", "अमरिया")),
    _d("Shahjahanpur", "शाहजहांपुर", 27.88, 79.91, 242001, "Shahjahanpur", "शाहजहांपुर",
       ("Tilhar", "तिलहर"), ("Jalalabad", "जलालाबाद"), ("Powayan", "पुवायां")),
)

PUVVNL_DISTRICTS = (
    _d("Varanasi", "वाराणसी", 25.32, 82.97, 221001, "Varanasi", "वाराणसी",
       ("Pindra", "पिंडरा"), ("Rajatalab", "राजातालाब"), ("Cholapur", "चोलापुर"), ("Sevapuri", "सेवापुरी")),
    _d("Prayagraj", "प्रयागराज", 25.44, 81.85, 211001, "Prayagraj", "प्रयागराज",
       ("Phulpur", "फूलपुर"), ("Soraon", "सोरांव"), ("Handia", "हंडिया"), ("Meja", "मेजा"), ("Karchhana", "करछना")),
    _d("Gorakhpur", "गोरखपुर", 26.76, 83.37, 273001, "Gorakhpur", "गोरखपुर",
       ("Sahjanwa", "सहजनवा"), ("Campierganj", "कैम्पियरगंज"), ("Bansgaon", "बांसगांव"), ("Chauri Chaura", "चौरी चौरा")),
    _d("Azamgarh", "आज़मगढ़", 26.07, 83.18, 276001, "Azamgarh", "आज़मगढ़",
       ("Phulpur", "फूलपुर"), ("Lalganj", "लालगंज"), ("Mehnagar", "मेहनगर"), ("Sagri", "सगड़ी")),
    _d("Jaunpur", "जौनपुर", 25.75, 82.69, 222001, "Jaunpur", "जौनपुर",
       ("Shahganj", "शाहगंज"), ("Machhlishahr", "मछलीशहर"), ("Mariahu", "मड़ियाहूं"), ("Kerakat", "केराकत")),
    _d("Ghazipur", "ग़ाज़ीपुर", 25.58, 83.58, 233001, "Ghazipur", "ग़ाज़ीपुर",
       ("Saidpur", "सैदपुर"), ("Zamania", "ज़मानिया"), ("Mohammadabad", "मोहम्मदाबाद"), ("Jakhania", "जखनियां")),
    _d("Ballia", "बलिया", 25.76, 84.15, 277001, "Ballia", "बलिया",
       ("Rasra", "रसड़ा"), ("Bansdih", "बांसडीह"), ("Bairia", "बैरिया"), ("Sikandarpur", "सिकंदरपुर")),
    _d("Mirzapur", "मिर्ज़ापुर", 25.15, 82.57, 231001, "Mirzapur", "मिर्ज़ापुर",
       ("Chunar", "चुनार"), ("Lalganj", "लालगंज"), ("Marihan", "मड़िहान")),
    _d("Sonbhadra", "सोनभद्र", 24.69, 83.07, 231216, "Robertsganj", "रॉबर्ट्सगंज",
       ("Obra", "ओबरा"), ("Dudhi", "दुद्धी"), ("Ghorawal", "घोरावल")),
    _d("Chandauli", "चंदौली", 25.27, 83.27, 232104, "Chandauli", "चंदौली",
       ("Mughalsarai", "मुग़लसराय"), ("Sakaldiha", "सकलडीहा"), ("Chakia", "चकिया")),
    _d("Deoria", "देवरिया", 26.50, 83.78, 274001, "Deoria", "देवरिया",
       ("Salempur", "सलेमपुर"), ("Rudrapur", "रुद्रपुर"), ("Barhaj", "बरहज")),
    _d("Basti", "बस्ती", 26.80, 82.73, 272001, "Basti", "बस्ती",
       ("Harraiya", "हर्रैया"), ("Rudhauli", "रुधौली"), ("Bhanpur", "भानपुर")),
    _d("Mau", "मऊ", 25.94, 83.56, 275101, "Mau", "मऊ",
       ("Madhuban", "मधुबन"), ("Ghosi", "घोसी"), ("Muhammadabad Gohna", "मोहम्मदाबाद गोहना")),
    _d("Pratapgarh", "प्रतापगढ़", 25.90, 81.95, 230001, "Pratapgarh", "प्रतापगढ़",
       ("Kunda", "कुंडा"), ("Patti", "पट्टी"), ("Lalganj", "लालगंज"), ("Raniganj", "रानीगंज")),
    _d("Kaushambi", "कौशाम्बी", 25.53, 81.38, 212201, "Manjhanpur", "मंझनपुर",
       ("Sirathu", "सिराथू"), ("Chail", "चायल")),
    _d("Bhadohi", "भदोही", 25.39, 82.57, 221401, "Gyanpur", "ज्ञानपुर",
       ("Aurai", "औराई"), ("Bhadohi", "भदोही")),
    _d("Kushinagar", "कुशीनगर", 26.74, 83.89, 274403, "Padrauna", "पडरौना",
       ("Kasia", "कसया"), ("Tamkuhi Raj", "तमकुहीराज"), ("Hata", "हाटा")),
    _d("Maharajganj", "महराजगंज", 27.13, 83.56, 273303, "Maharajganj", "महराजगंज",
       ("Nautanwa", "नौतनवा"), ("Pharenda", "फरेंदा"), ("Nichlaul", "निचलौल")),
    _d("Siddharthnagar", "सिद्धार्थनगर", 27.25, 83.07, 272207, "Naugarh", "नौगढ़",
       ("Domariyaganj", "डुमरियागंज"), ("Bansi", "बांसी"), ("Itwa", "इटवा")),
    _d("Sant Kabir Nagar", "संत कबीर नगर", 26.77, 83.03, 272175, "Khalilabad", "खलीलाबाद",
       ("Mehdawal", "मेहदावल"), ("Dhanghata", "धनघटा")),
)

PVVNL_DISTRICTS = (
    _d("Meerut", "मेरठ", 28.98, 77.71, 250001, "Meerut", "मेरठ",
       ("Mawana", "मवाना"), ("Sardhana", "सरधना"), ("Kithore", "किठौर"), ("Daurala", "दौराला")),
    _d("Ghaziabad", "ग़ाज़ियाबाद", 28.67, 77.45, 201001, "Ghaziabad", "ग़ाज़ियाबाद",
       ("Modinagar", "मोदीनगर"), ("Loni", "लोनी"), ("Muradnagar", "मुरादनगर")),
    _d("Gautam Buddh Nagar", "गौतम बुद्ध नगर", 28.54, 77.39, 201301, "Noida", "नोएडा",
       ("Dadri", "दादरी"), ("Jewar", "जेवर"), ("Dankaur", "दनकौर")),
    _d("Bulandshahr", "बुलंदशहर", 28.40, 77.85, 203001, "Bulandshahr", "बुलंदशहर",
       ("Khurja", "खुर्जा"), ("Sikandrabad", "सिकंदराबाद"), ("Siyana", "स्याना"), ("Anupshahr", "अनूपशहर")),
    _d("Hapur", "हापुड़", 28.73, 77.78, 245101, "Hapur", "हापुड़",
       ("Garhmukteshwar", "गढ़मुक्तेश्वर"), ("Pilkhuwa", "पिलखुवा"), ("Dhaulana", "धौलाना")),
    _d("Baghpat", "बागपत", 28.94, 77.22, 250609, "Baghpat", "बागपत",
       ("Baraut", "बड़ौत"), ("Khekra", "खेकड़ा"), ("Chhaprauli", "छपरौली")),
    _d("Muzaffarnagar", "मुज़फ़्फ़रनगर", 29.47, 77.70, 251001, "Muzaffarnagar", "मुज़फ़्फ़रनगर",
       ("Budhana", "बुढ़ाना"), ("Khatauli", "खतौली"), ("Jansath", "जानसठ"), ("Purkaji", "पुरकाजी")),
    _d("Shamli", "शामली", 29.45, 77.31, 247776, "Shamli", "शामली",
       ("Kairana", "कैराना"), ("Thana Bhawan", "थाना भवन"), ("Jhinjhana", "झिंझाना")),
    _d("Saharanpur", "सहारनपुर", 29.96, 77.55, 247001, "Saharanpur", "सहारनपुर",
       ("Deoband", "देवबंद"), ("Nakur", "नकुड़"), ("Behat", "बेहट"), ("Rampur Maniharan", "रामपुर मनिहारान")),
    _d("Moradabad", "मुरादाबाद", 28.84, 78.77, 244001, "Moradabad", "मुरादाबाद",
       ("Thakurdwara", "ठाकुरद्वारा"), ("Kanth", "कांठ"), ("Bilari", "बिलारी")),
    _d("Bijnor", "बिजनौर", 29.37, 78.13, 246701, "Bijnor", "बिजनौर",
       ("Najibabad", "नजीबाबाद"), ("Nagina", "नगीना"), ("Dhampur", "धामपुर"), ("Chandpur", "चांदपुर")),
    _d("Rampur", "रामपुर", 28.81, 79.03, 244901, "Rampur", "रामपुर",
       ("Bilaspur", "बिलासपुर"), ("Swar", "स्वार"), ("Tanda", "टांडा"), ("Shahabad", "शाहाबाद")),
    _d("Amroha", "अमरोहा", 28.90, 78.47, 244221, "Amroha", "अमरोहा",
       ("Gajraula", "गजरौला"), ("Hasanpur", "हसनपुर"), ("Dhanaura", "धनौरा")),
    _d("Sambhal", "संभल", 28.58, 78.57, 244302, "Sambhal", "संभल",
       ("Chandausi", "चंदौसी"), ("Gunnaur", "गुन्नौर"), ("Bahjoi", "बहजोई")),
)

DVVNL_DISTRICTS = (
    _d("Agra", "आगरा", 27.18, 78.01, 282001, "Agra", "आगरा",
       ("Fatehabad", "फतेहाबाद"), ("Kiraoli", "किरावली"), ("Bah", "बाह"), ("Kheragarh", "खेरागढ़"), ("Etmadpur", "एत्मादपुर")),
    _d("Mathura", "मथुरा", 27.49, 77.67, 281001, "Mathura", "मथुरा",
       ("Vrindavan", "वृंदावन"), ("Chhata", "छाता"), ("Mant", "मांट"), ("Goverdhan", "गोवर्धन")),
    _d("Aligarh", "अलीगढ़", 27.88, 78.08, 202001, "Aligarh", "अलीगढ़",
       ("Khair", "खैर"), ("Atrauli", "अतरौली"), ("Iglas", "इगलास"), ("Gabhana", "गभाना")),
    _d("Hathras", "हाथरस", 27.60, 78.05, 204101, "Hathras", "हाथरस",
       ("Sadabad", "सादाबाद"), ("Sikandra Rao", "सिकंदराराऊ"), ("Sasni", "सासनी")),
    _d("Etah", "एटा", 27.56, 78.66, 207001, "Etah", "एटा",
       ("Jalesar", "जलेसर"), ("Aliganj", "अलीगंज"), ("Awagarh", "अवागढ़")),
    _d("Kasganj", "कासगंज", 27.81, 78.64, 207123, "Kasganj", "कासगंज",
       ("Patiyali", "पटियाली"), ("Sahawar", "सहावर")),
    _d("Firozabad", "फ़िरोज़ाबाद", 27.15, 78.40, 283203, "Firozabad", "फ़िरोज़ाबाद",
       ("Shikohabad", "शिकोहाबाद"), ("Tundla", "टूंडला"), ("Jasrana", "जसराना"), ("Sirsaganj", "सिरसागंज")),
    _d("Mainpuri", "मैनपुरी", 27.23, 79.02, 205001, "Mainpuri", "मैनपुरी",
       ("Bhongaon", "भोगांव"), ("Karhal", "करहल"), ("Kishni", "किशनी")),
    _d("Etawah", "इटावा", 26.78, 79.02, 206001, "Etawah", "इटावा",
       ("Jaswantnagar", "जसवंतनगर"), ("Bharthana", "भरथना"), ("Saifai", "सैफई")),
    _d("Auraiya", "औरैया", 26.47, 79.51, 206122, "Auraiya", "औरैया",
       ("Bidhuna", "बिधूना"), ("Dibiyapur", "दिबियापुर"), ("Ajitmal", "अजीतमल")),
    _d("Farrukhabad", "फ़र्रुख़ाबाद", 27.39, 79.58, 209625, "Fatehgarh", "फतेहगढ़",
       ("Kaimganj", "कायमगंज"), ("Amritpur", "अमृतपुर"), ("Kamalganj", "कमालगंज")),
    _d("Kannauj", "कन्नौज", 27.06, 79.92, 209725, "Kannauj", "कन्नौज",
       ("Chhibramau", "छिबरामऊ"), ("Tirwa", "तिर्वा"), ("Gursahaiganj", "गुरसहायगंज")),
    _d("Kanpur Dehat", "कानपुर देहात", 26.41, 79.96, 209101, "Akbarpur", "अकबरपुर",
       ("Rasulabad", "रसूलाबाद"), ("Derapur", "डेरापुर"), ("Bhognipur", "भोगनीपुर")),
    _d("Jhansi", "झाँसी", 25.45, 78.57, 284001, "Jhansi", "झाँसी",
       ("Mauranipur", "मऊरानीपुर"), ("Garautha", "गरौठा"), ("Moth", "मोठ"), ("Babina", "बबीना")),
    _d("Lalitpur", "ललितपुर", 24.69, 78.41, 284403, "Lalitpur", "ललितपुर",
       ("Talbehat", "तालबेहट"), ("Mahroni", "महरौनी"), ("Madawara", "मड़ावरा")),
    _d("Jalaun", "जालौन", 25.99, 79.45, 285001, "Orai", "उरई",
       ("Konch", "कोंच"), ("Kalpi", "कालपी"), ("Madhogarh", "माधौगढ़")),
    _d("Banda", "बांदा", 25.48, 80.34, 210001, "Banda", "बांदा",
       ("Atarra", "अतर्रा"), ("Baberu", "बबेरू"), ("Naraini", "नरैनी")),
    _d("Chitrakoot", "चित्रकूट", 25.20, 80.90, 210205, "Karwi", "कर्वी",
       ("Mau", "मऊ"), ("Rajapur", "राजापुर")),
    _d("Hamirpur", "हमीरपुर", 25.95, 80.15, 210301, "Hamirpur", "हमीरपुर",
       ("Rath", "राठ"), ("Maudaha", "मौदहा"), ("Sarila", "सरीला")),
    _d("Mahoba", "महोबा", 25.29, 79.87, 210427, "Mahoba", "महोबा",
       ("Charkhari", "चरखारी"), ("Kulpahar", "कुलपहाड़")),
)

KESCO_DISTRICTS = (
    _d("Kanpur Nagar", "कानपुर नगर", 26.45, 80.33, 208001, "Kanpur", "कानपुर",
       ("Kalyanpur", "कल्याणपुर"), ("Bithoor", "बिठूर")),
)

# Shares: PuVVNL ~29% of consumers and ~84% rural (DOMAIN.md); the others are chosen so the state as a
# whole comes to ~60% rural. KESCO serves the city of Kanpur only, so all its consumers are urban.
DISCOMS: tuple[DiscomSpec, ...] = (
    DiscomSpec("MVVNL", "MV", 1, "Madhyanchal Vidyut Vitran Nigam Limited", "मध्यांचल विद्युत वितरण निगम लिमिटेड",
               0.24, 0.5, 0.17, MVVNL_DISTRICTS),
    DiscomSpec("PUVVNL", "PU", 2, "Purvanchal Vidyut Vitran Nigam Limited", "पूर्वांचल विद्युत वितरण निगम लिमिटेड",
               0.29, 0.84, 0.15, PUVVNL_DISTRICTS),
    DiscomSpec("PVVNL", "PV", 3, "Paschimanchal Vidyut Vitran Nigam Limited", "पश्चिमांचल विद्युत वितरण निगम लिमिटेड",
               0.23, 0.53, 0.3, PVVNL_DISTRICTS),
    DiscomSpec("DVVNL", "DV", 4, "Dakshinanchal Vidyut Vitran Nigam Limited", "दक्षिणांचल विद्युत वितरण निगम लिमिटेड",
               0.22, 0.52, 0.12, DVVNL_DISTRICTS),
    DiscomSpec("KESCO", "KE", 5, "Kanpur Electricity Supply Company Limited", "कानपुर इलेक्ट्रिसिटी सप्लाई कंपनी लिमिटेड",
               0.02, 0.0, 0.2, KESCO_DISTRICTS),
)

# Urban localities (mohallas / colonies); every UP town has some of these.
LOCALITIES: tuple[Pair, ...] = (
    ("Civil Lines", "सिविल लाइन्स"), ("Gandhi Nagar", "गांधी नगर"), ("Nehru Nagar", "नेहरू नगर"), ("Rajendra Nagar", "राजेन्द्र नगर"),
    ("Indira Nagar", "इंदिरा नगर"), ("Subhash Nagar", "सुभाष नगर"), ("Shastri Nagar", "शास्त्री नगर"), ("Azad Nagar", "आज़ाद नगर"),
    ("Kidwai Nagar", "किदवई नगर"), ("Sadar Bazar", "सदर बाज़ार"), ("Chowk", "चौक"), ("Station Road", "स्टेशन रोड"),
    ("Ashok Nagar", "अशोक नगर"), ("Vikas Nagar", "विकास नगर"), ("Awas Vikas Colony", "आवास विकास कॉलोनी"), ("Ram Nagar", "राम नगर"),
    ("Krishna Nagar", "कृष्णा नगर"), ("Patel Nagar", "पटेल नगर"), ("Tilak Nagar", "तिलक नगर"), ("Jawahar Nagar", "जवाहर नगर"),
    ("Model Town", "मॉडल टाउन"), ("Naya Ganj", "नया गंज"), ("Qazi Tola", "क़ाज़ी टोला"), ("Sarai", "सराय"),
    ("Transport Nagar", "ट्रांसपोर्ट नगर"), ("Defence Colony", "डिफेंस कॉलोनी"), ("Saket", "साकेत"), ("Prem Nagar", "प्रेम नगर"),
    ("Mahanagar", "महानगर"), ("Kamla Nagar", "कमला नगर"), ("Lajpat Nagar", "लाजपत नगर"), ("Industrial Area", "औद्योगिक क्षेत्र"),
)

KANPUR_LOCALITIES: tuple[Pair, ...] = (
    ("Kidwai Nagar", "किदवई नगर"), ("Govind Nagar", "गोविंद नगर"), ("Kalyanpur", "कल्याणपुर"), ("Swaroop Nagar", "स्वरूप नगर"),
    ("Civil Lines", "सिविल लाइन्स"), ("Armapur", "अर्मापुर"), ("Panki", "पनकी"), ("Jajmau", "जाजमऊ"),
    ("Chakeri", "चकेरी"), ("Naubasta", "नौबस्ता"), ("Barra", "बर्रा"), ("Rawatpur", "रावतपुर"),
    ("Harsh Nagar", "हर्ष नगर"), ("Fazalganj", "फ़ज़लगंज"), ("Kakadeo", "काकादेव"), ("Gumti", "गुमटी"),
    ("Sisamau", "सीसामऊ"), ("Generalganj", "जनरलगंज"), ("Shyam Nagar", "श्याम नगर"), ("Yashoda Nagar", "यशोदा नगर"),
)

VILLAGES: tuple[Pair, ...] = (
    ("Rampur", "रामपुर"), ("Shahpur", "शाहपुर"), ("Chandpur", "चाँदपुर"), ("Fatehpur", "फ़तेहपुर"),
    ("Mohammadpur", "मोहम्मदपुर"), ("Bhagwanpur", "भगवानपुर"), ("Madhopur", "माधोपुर"), ("Kishanpur", "किशनपुर"),
    ("Nagla", "नगला"), ("Bhojpur", "भोजपुर"), ("Sherpur", "शेरपुर"), ("Jalalpur", "जलालपुर"),
    ("Husainpur", "हुसैनपुर"), ("Rasoolpur", "रसूलपुर"), ("Ahmadpur", "अहमदपुर"), ("Daulatpur", "दौलतपुर"),
    ("Gopalpur", "गोपालपुर"), ("Narayanpur", "नारायणपुर"), ("Rajapur", "राजापुर"), ("Ramnagar", "रामनगर"),
    ("Lalpur", "लालपुर"), ("Khanpur", "खानपुर"), ("Islampur", "इस्लामपुर"), ("Hasanpur", "हसनपुर"),
    ("Dhanipur", "धनीपुर"), ("Pipra", "पिपरा"), ("Barauli", "बरौली"), ("Semra", "सेमरा"),
    ("Kaithi", "कैथी"), ("Bhawanipur", "भवानीपुर"), ("Chak Ramdas", "चक रामदास"), ("Mahuawa", "महुआवा"),
    ("Pipri", "पिपरी"), ("Gangapur", "गंगापुर"), ("Sonpur", "सोनपुर"), ("Harpur", "हरपुर"),
    ("Jagdishpur", "जगदीशपुर"), ("Tikri", "टिकरी"), ("Kheri", "खेड़ी"), ("Bamrauli", "बमरौली"),
    ("Bishunpur", "बिशुनपुर"), ("Parsa", "परसा"), ("Karanpur", "करनपुर"), ("Sikandarpur", "सिकंदरपुर"),
    ("Maharajpur", "महाराजपुर"), ("Basantpur", "बसंतपुर"), ("Bhairopur", "भैरोपुर"), ("Kamalpur", "कमालपुर"),
    ("Nawada", "नवादा"), ("Majhgawan", "मझगवां"), ("Dumri", "डुमरी"), ("Belwa", "बेलवा"),
    ("Kusmi", "कुसमी"), ("Mahmudpur", "महमूदपुर"), ("Ibrahimpur", "इब्राहिमपुर"), ("Salempur", "सलेमपुर"),
    ("Baragaon", "बड़ागांव"), ("Kotwa", "कोटवा"), ("Garhi", "गढ़ी"), ("Ratanpur", "रतनपुर"),
    ("Hariharpur", "हरिहरपुर"), ("Ramgarh", "रामगढ़"), ("Devipur", "देवीपुर"), ("Bhitri", "भीतरी"),
    ("Mirpur", "मीरपुर"), ("Sarai Akil", "सराय अकिल"), ("Dhaurahra", "धौरहरा"), ("Umaria", "उमरिया"),
    ("Purwa", "पुरवा"), ("Bhatpura", "भटपुरा"), ("Kanakpur", "कनकपुर"), ("Shivpur", "शिवपुर"),
)

VILLAGE_SUFFIXES: tuple[Pair, ...] = (
    ("", ""), ("", ""), ("", ""), (" Khurd", " खुर्द"),
    (" Kalan", " कलां"), (" Buzurg", " बुज़ुर्ग"),
)

HINDU_SURNAMES: tuple[Pair, ...] = (
    ("Yadav", "यादव"), ("Sharma", "शर्मा"), ("Verma", "वर्मा"), ("Gupta", "गुप्ता"),
    ("Singh", "सिंह"), ("Mishra", "मिश्रा"), ("Tiwari", "तिवारी"), ("Pandey", "पाण्डेय"),
    ("Dubey", "दुबे"), ("Shukla", "शुक्ला"), ("Srivastava", "श्रीवास्तव"), ("Maurya", "मौर्य"),
    ("Kushwaha", "कुशवाहा"), ("Patel", "पटेल"), ("Chauhan", "चौहान"), ("Rajput", "राजपूत"),
    ("Jatav", "जाटव"), ("Prajapati", "प्रजापति"), ("Nishad", "निषाद"), ("Pal", "पाल"),
    ("Saini", "सैनी"), ("Tyagi", "त्यागी"), ("Chaudhary", "चौधरी"), ("Rawat", "रावत"),
    ("Kashyap", "कश्यप"), ("Lodhi", "लोधी"), ("Rathore", "राठौर"), ("Agarwal", "अग्रवाल"),
    ("Jaiswal", "जायसवाल"), ("Vishwakarma", "विश्वकर्मा"), ("Gautam", "गौतम"), ("Kumar", "कुमार"),
    ("Bharti", "भारती"), ("Saxena", "सक्सेना"), ("Nigam", "निगम"), ("Tripathi", "त्रिपाठी"),
    ("Dwivedi", "द्विवेदी"), ("Chaurasia", "चौरसिया"), ("Sonkar", "सोनकर"), ("Kannaujia", "कनौजिया"),
    ("Rajbhar", "राजभर"), ("Baghel", "बघेल"), ("Upadhyay", "उपाध्याय"), ("Awasthi", "अवस्थी"),
    ("Bajpai", "बाजपेयी"), ("Rastogi", "रस्तोगी"), ("Kesharwani", "केसरवानी"), ("Valmiki", "वाल्मीकि"),
    ("Kori", "कोरी"), ("Gond", "गोंड"),
)

MUSLIM_SURNAMES: tuple[Pair, ...] = (
    ("Khan", "खान"), ("Ansari", "अंसारी"), ("Qureshi", "कुरैशी"), ("Siddiqui", "सिद्दीकी"),
    ("Ahmad", "अहमद"), ("Ali", "अली"), ("Rizvi", "रिज़वी"), ("Hussain", "हुसैन"),
    ("Malik", "मलिक"), ("Shaikh", "शेख"), ("Saifi", "सैफी"), ("Mansoori", "मंसूरी"),
    ("Alvi", "अल्वी"), ("Usmani", "उस्मानी"), ("Farooqui", "फ़ारूक़ी"),
)

HINDU_MALE: tuple[Pair, ...] = (
    ("Ramesh", "रमेश"), ("Suresh", "सुरेश"), ("Mahesh", "महेश"), ("Rajesh", "राजेश"),
    ("Dinesh", "दिनेश"), ("Mukesh", "मुकेश"), ("Rakesh", "राकेश"), ("Santosh", "संतोष"),
    ("Sanjay", "संजय"), ("Vijay", "विजय"), ("Ajay", "अजय"), ("Anil", "अनिल"),
    ("Sunil", "सुनील"), ("Manoj", "मनोज"), ("Pramod", "प्रमोद"), ("Vinod", "विनोद"),
    ("Ashok", "अशोक"), ("Arvind", "अरविन्द"), ("Rahul", "राहुल"), ("Amit", "अमित"),
    ("Sumit", "सुमित"), ("Rohit", "रोहित"), ("Deepak", "दीपक"), ("Pankaj", "पंकज"),
    ("Neeraj", "नीरज"), ("Vikas", "विकास"), ("Ankit", "अंकित"), ("Vivek", "विवेक"),
    ("Alok", "आलोक"), ("Ravi", "रवि"), ("Shivam", "शिवम"), ("Gaurav", "गौरव"),
    ("Saurabh", "सौरभ"), ("Abhishek", "अभिषेक"), ("Anuj", "अनुज"), ("Ram Kumar", "राम कुमार"),
    ("Shyam Sundar", "श्याम सुन्दर"), ("Ramesh Chandra", "रमेश चन्द्र"), ("Brijesh", "बृजेश"), ("Awadhesh", "अवधेश"),
    ("Kamlesh", "कमलेश"), ("Akhilesh", "अखिलेश"), ("Shailendra", "शैलेन्द्र"), ("Dharmendra", "धर्मेन्द्र"),
    ("Jitendra", "जितेन्द्र"), ("Surendra", "सुरेन्द्र"), ("Narendra", "नरेन्द्र"), ("Virendra", "वीरेन्द्र"),
    ("Devendra", "देवेन्द्र"), ("Rajendra", "राजेन्द्र"), ("Mahendra", "महेन्द्र"), ("Yogesh", "योगेश"),
    ("Umesh", "उमेश"), ("Ganesh", "गणेश"), ("Harish", "हरीश"), ("Satish", "सतीश"),
    ("Pradeep", "प्रदीप"), ("Sandeep", "संदीप"), ("Kuldeep", "कुलदीप"), ("Rajkumar", "राजकुमार"),
    ("Chhotelal", "छोटेलाल"), ("Lallan", "ललन"), ("Bablu", "बबलू"), ("Sonu", "सोनू"),
    ("Raju", "राजू"),
)

HINDU_FEMALE: tuple[Pair, ...] = (
    ("Sunita", "सुनीता"), ("Anita", "अनीता"), ("Geeta", "गीता"), ("Sita", "सीता"),
    ("Rekha", "रेखा"), ("Suman", "सुमन"), ("Meena", "मीना"), ("Savitri", "सावित्री"),
    ("Kamla", "कमला"), ("Shanti", "शान्ति"), ("Pushpa", "पुष्पा"), ("Urmila", "उर्मिला"),
    ("Saroj", "सरोज"), ("Manju", "मंजू"), ("Poonam", "पूनम"), ("Pooja", "पूजा"),
    ("Priyanka", "प्रियंका"), ("Neha", "नेहा"), ("Kiran", "किरन"), ("Asha", "आशा"),
    ("Usha", "उषा"), ("Nirmala", "निर्मला"), ("Kusum", "कुसुम"), ("Radha", "राधा"),
    ("Lakshmi", "लक्ष्मी"), ("Sarita", "सरिता"), ("Mamta", "ममता"), ("Rani", "रानी"),
    ("Seema", "सीमा"), ("Reena", "रीना"), ("Babita", "बबीता"), ("Kalawati", "कलावती"),
    ("Rampyari", "रामप्यारी"), ("Shakuntala", "शकुन्तला"),
)

HINDU_FATHERS: tuple[Pair, ...] = (
    ("Ram Prasad", "राम प्रसाद"), ("Shiv Prasad", "शिव प्रसाद"), ("Ram Kishore", "राम किशोर"), ("Ram Lal", "राम लाल"),
    ("Shyam Lal", "श्याम लाल"), ("Mohan Lal", "मोहन लाल"), ("Sohan Lal", "सोहन लाल"), ("Hari Ram", "हरि राम"),
    ("Ram Sagar", "राम सागर"), ("Ram Autar", "राम औतार"), ("Shiv Shankar", "शिव शंकर"), ("Jagdish", "जगदीश"),
    ("Ram Dulare", "राम दुलारे"), ("Ram Bahadur", "राम बहादुर"), ("Ram Naresh", "राम नरेश"), ("Radhey Shyam", "राधेश्याम"),
    ("Bhagwan Das", "भगवान दास"), ("Ram Chandra", "राम चन्द्र"), ("Kanhaiya Lal", "कन्हैया लाल"), ("Chhedi Lal", "छेदी लाल"),
    ("Babu Ram", "बाबू राम"), ("Ganga Prasad", "गंगा प्रसाद"), ("Jamuna Prasad", "जमुना प्रसाद"), ("Kali Charan", "काली चरण"),
    ("Ram Pal", "राम पाल"), ("Om Prakash", "ओम प्रकाश"), ("Ved Prakash", "वेद प्रकाश"), ("Prem Shankar", "प्रेम शंकर"),
    ("Rajaram", "राजाराम"), ("Sukhdev", "सुखदेव"), ("Mata Prasad", "माता प्रसाद"), ("Ram Sevak", "राम सेवक"),
)

MUSLIM_MALE: tuple[Pair, ...] = (
    ("Mohammad Irfan", "मोहम्मद इरफ़ान"), ("Salim", "सलीम"), ("Rashid", "राशिद"), ("Imran", "इमरान"),
    ("Shahid", "शाहिद"), ("Arif", "आरिफ़"), ("Anwar", "अनवर"), ("Javed", "जावेद"),
    ("Naseem", "नसीम"), ("Mohammad Aslam", "मोहम्मद असलम"), ("Wasim", "वसीम"), ("Nadeem", "नदीम"),
    ("Faheem", "फ़हीम"), ("Rizwan", "रिज़वान"), ("Sajid", "साजिद"), ("Zahid", "ज़ाहिद"),
    ("Shakeel", "शकील"), ("Jameel", "जमील"), ("Rafiq", "रफ़ीक़"), ("Iqbal", "इक़बाल"),
    ("Aftab", "आफ़ताब"), ("Mohammad Yunus", "मोहम्मद यूनुस"), ("Abdul Rahman", "अब्दुल रहमान"), ("Mustaqeem", "मुस्तक़ीम"),
)

MUSLIM_FEMALE: tuple[Pair, ...] = (
    ("Shabana", "शबाना"), ("Nazia", "नाज़िया"), ("Rukhsana", "रुख़साना"), ("Farzana", "फ़रज़ाना"),
    ("Shabnam", "शबनम"), ("Naseem Bano", "नसीम बानो"), ("Reshma", "रेशमा"), ("Sultana", "सुल्ताना"),
    ("Parveen", "परवीन"), ("Zainab", "ज़ैनब"), ("Ayesha", "आयशा"), ("Hina", "हिना"),
    ("Salma", "सलमा"),
)

MUSLIM_FATHERS: tuple[Pair, ...] = (
    ("Abdul Hameed", "अब्दुल हमीद"), ("Abdul Majeed", "अब्दुल मजीद"), ("Mohammad Ishaq", "मोहम्मद इस्हाक़"), ("Mohammad Yaqub", "मोहम्मद याक़ूब"),
    ("Nazir Ahmad", "नज़ीर अहमद"), ("Bashir Ahmad", "बशीर अहमद"), ("Rahmat Ali", "रहमत अली"), ("Liaquat Ali", "लियाक़त अली"),
    ("Mohammad Hanif", "मोहम्मद हनीफ़"), ("Abdul Ghani", "अब्दुल ग़नी"), ("Shamsuddin", "शमसुद्दीन"), ("Nizamuddin", "निज़ामुद्दीन"),
)

# Women's names in rural records often carry "Devi" / "Begum" / "Khatoon" instead of a surname.
HINDU_FEMALE_TITLES: tuple[Pair, ...] = (
    ("Devi", "देवी"),
)

MUSLIM_FEMALE_TITLES: tuple[Pair, ...] = (
    ("Begum", "बेगम"), ("Khatoon", "ख़ातून"),
)

FIRM_WORDS: tuple[Pair, ...] = (
    ("Shri Ram", "श्री राम"), ("Jai Maa Durga", "जय माँ दुर्गा"), ("Balaji", "बालाजी"), ("Shiv Shakti", "शिव शक्ति"),
    ("New India", "न्यू इंडिया"), ("Ganpati", "गणपति"), ("Laxmi", "लक्ष्मी"), ("Bajrang", "बजरंग"),
    ("Sai", "साईं"), ("Star", "स्टार"), ("Al-Madina", "अल-मदीना"), ("Om", "ओम"),
)

SHOP_KINDS: tuple[Pair, ...] = (
    ("Traders", "ट्रेडर्स"), ("General Store", "जनरल स्टोर"), ("Enterprises", "इंटरप्राइजेज"), ("Kirana Store", "किराना स्टोर"),
    ("Medical Store", "मेडिकल स्टोर"), ("Mishthan Bhandar", "मिष्ठान भण्डार"), ("Hardware", "हार्डवेयर"), ("Cloth House", "क्लॉथ हाउस"),
    ("Electronics", "इलेक्ट्रॉनिक्स"), ("Hotel", "होटल"),
)

WORKS_KINDS: tuple[Pair, ...] = (
    ("Flour Mill", "आटा चक्की"), ("Rice Mill", "राइस मिल"), ("Industries", "इंडस्ट्रीज"), ("Cold Storage", "कोल्ड स्टोरेज"),
    ("Steel Works", "स्टील वर्क्स"), ("Oil Mill", "ऑयल मिल"), ("Plastics", "प्लास्टिक्स"), ("Engineering Works", "इंजीनियरिंग वर्क्स"),
    ("Ice Factory", "आइस फैक्ट्री"),
)

# Meter makes common on UP networks, with the prefix used in their (synthetic) serial numbers.
METER_MAKES: tuple[tuple[str, str], ...] = (
    ("Genus", "GNS"), ("HPL", "HPL"), ("Secure", "SEC"), ("L&T", "LNT"), ("Landis+Gyr", "LNG"), ("Avon", "AVN"),
)
EM_METER_MAKES: tuple[tuple[str, str], ...] = (
    ("Jaipur Udyog", "JPU"), ("Capital", "CAP"), ("HPL", "HPL"),
)
# fmt: on

HINDI_ORDINALS = ("प्रथम", "द्वितीय", "तृतीय", "चतुर्थ", "पंचम", "षष्ठम", "सप्तम", "अष्टम", "नवम", "दशम")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def roman(n: int) -> str:
    """1 → I … 10 → X; larger numbers stay arabic."""
    return ROMAN[n - 1] if 1 <= n <= len(ROMAN) else str(n)


def hindi_ordinal(n: int) -> str:
    return HINDI_ORDINALS[n - 1] if 1 <= n <= len(HINDI_ORDINALS) else str(n)
