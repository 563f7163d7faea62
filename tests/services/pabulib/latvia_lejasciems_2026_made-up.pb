META
key;value
description;A made-up village round in pabulib's format (written for villagebot's tests): three parts of the village, the rules fund different ideas
country;Latvia
unit;Lejasciems
instance;2026
num_projects;6
num_votes;20
budget;10000
vote_type;approval
rule;equalshares/add1
date_begin;01.06.2026
date_end;14.06.2026
min_length;1
max_sum_cost;10000
currency;EUR
language;lv
PROJECTS
project_id;cost;votes;name;category;selected
1;6000;12;Rotaļu laukums;community;1
2;3000;4;Autobusa pietura;infrastructure;0
3;4000;8;Ielu apgaismojums;infrastructure;0
4;800;3;Grāmatas bibliotēkai;community;1
5;1500;5;Soliņi pie upes;environment;1
6;1200;7;Kopienas dārzs;environment;1
VOTES
voter_id;vote;voting_method
1;1,3;internet
2;1,3;internet
3;1,3;internet
4;1,3;internet
5;1,3;internet
6;1,3;internet
7;1,3;internet
8;1,3;internet
9;1,2;internet
10;1,2;internet
11;1,2;internet
12;1,2;internet
13;5,6;internet
14;5,6;internet
15;5,6;internet
16;5,6;internet
17;5,6;internet
18;4,6;paper
19;4,6;internet
20;4;paper
