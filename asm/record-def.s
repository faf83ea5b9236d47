# record-def.s — the layout of one 324-byte record, for .include.
#
#   offset  0                40               80                    320  324
#           +----------------+----------------+---------------------+----+
#           | first name     | last name      | address             | age|
#           | 40 bytes, NUL  | 40 bytes, NUL  | 240 bytes, NUL      | 4  |
#           | padded         | padded         | padded              | LE |
#           +----------------+----------------+---------------------+----+
#
# Text fields are NUL-padded but not always NUL-terminated: a 40-byte first
# name fills its field exactly. The age is a 32-bit little-endian integer.

.equ RECORD_FIRSTNAME, 0
.equ RECORD_LASTNAME,  40
.equ RECORD_ADDRESS,   80
.equ RECORD_AGE,       320

.equ RECORD_FIRSTNAME_SIZE, 40
.equ RECORD_LASTNAME_SIZE,  40
.equ RECORD_ADDRESS_SIZE,   240

.equ RECORD_SIZE,      324
