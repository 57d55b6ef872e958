package sandbox

import "time"

// Ids of the seeded reference data, as the examples of seeds 003/004 and
// samples/onkey-sites use them.
const (
	seedPermissionTreeA20 = 5000000    // PermissionTree A20 (seed 004 example's literal id)
	seedPermissionTreeA21 = 5000001004 // PermissionTree A21 (seed 003 example's literal id)
	seedSiteTypeFAC       = 5000001000 // SiteType FAC (sample: siteTypeId)
	seedSiteA10           = 5000001001 // Site A10 of SiteType FAC (sample: parentSiteId)
	seedCurrencyZAR       = 14         // Currency ZAR (sample: currencyId)
)

// DefaultConfig is the sandbox out of the box: tenant "demo", connection "main", bearer token
// "sandbox-token", OAuth2 client "sandbox-client"/"sandbox-secret" with one-hour tokens, no
// faults, and a data model seeded with the reference data of the On Key documents' examples
// (PermissionTree A20, CostCentre 065, SiteType FAC, Site A10 of type FAC, Currency ZAR id 14,
// ...) so that every record of samples/onkey-sites succeeds, and the Onix Work defaults of
// defaultOnixWork (user "sandbox"/"sandbox-password", key "sandbox-key", 60-minute tokens,
// customers K-1001 and K-1002, ...) so that every body of samples/orders-csv succeeds. Each call
// returns a fresh Config.
func DefaultConfig() *Config {
	return &Config{
		Tenant:       "demo",
		Connection:   "main",
		Tokens:       []string{"sandbox-token"},
		OAuth2:       OAuth2{Clients: map[string]string{"sandbox-client": "sandbox-secret"}, TokenLifetime: time.Hour},
		MaxBodyBytes: 32 << 20,
		LogRequests:  100_000,
		Entities:     defaultEntities(),
		Faults:       Faults{Seed: 1, RetryAfter: time.Second},
		OnixWork:     defaultOnixWork(),
	}
}

func str(required, unique bool) *Property {
	return &Property{Type: "string", Required: required, Unique: unique}
}
func ref(to string, required bool) *Property { return &Property{Reference: to, Required: required} }
func typed(t string) *Property               { return &Property{Type: t} }

// coded is the common shape of reference data: a unique required code, a description and a
// permission tree.
func coded(module, resource string, extra map[string]*Property, recs ...SeedRecord) *EntityType {
	props := map[string]*Property{
		"code":             str(true, true),
		"description":      str(true, false),
		"permissionTreeId": ref("PermissionTree", true),
	}
	for k, v := range extra {
		props[k] = v
	}
	return &EntityType{Module: module, Resource: resource, Code: "code", Properties: props, Records: recs}
}

func seed(id int64, props map[string]any) SeedRecord { return SeedRecord{ID: id, Properties: props} }

func defaultEntities() map[string]*EntityType {
	a20 := int64(seedPermissionTreeA20)
	return map[string]*EntityType{
		"PermissionTree": {Module: "System", Resource: "PermissionTrees", Code: "code",
			Properties: map[string]*Property{"code": str(true, true), "description": str(true, false)},
			Records: []SeedRecord{
				seed(seedPermissionTreeA20, map[string]any{"code": "A20", "description": "Area 20"}),
				seed(seedPermissionTreeA21, map[string]any{"code": "A21", "description": "Area 21"}),
			}},
		"Currency": {Module: "System", Resource: "Currencies", Code: "code",
			Properties: map[string]*Property{"code": str(true, true), "description": str(true, false)},
			Records: []SeedRecord{
				seed(1, map[string]any{"code": "USD", "description": "US Dollar"}),
				seed(3, map[string]any{"code": "EUR", "description": "Euro"}),
				seed(seedCurrencyZAR, map[string]any{"code": "ZAR", "description": "South African Rand"}),
				seed(23, map[string]any{"code": "NOK", "description": "Norwegian Krone"}),
			}},
		"CostCentre": coded("FIN", "CostCentres", nil,
			seed(5000002001, map[string]any{"code": "065", "description": "Maintenance Cape Town", "permissionTreeId": a20}),
			seed(5000002002, map[string]any{"code": "076", "description": "Maintenance Durban", "permissionTreeId": a20}),
			seed(5000002003, map[string]any{"code": "095", "description": "Buildings", "permissionTreeId": a20})),
		"SiteType": coded("Core", "SiteTypes", nil,
			seed(seedSiteTypeFAC, map[string]any{"code": "FAC", "description": "Facility", "permissionTreeId": a20})),
		"Site": coded("Core", "Sites", map[string]*Property{
			"parentSiteId":   ref("Site", false),
			"sequenceNumber": str(false, false),
			"siteTypeId":     ref("SiteType", true),
			"currencyId":     ref("Currency", true),
			"timeZoneOffset": typed("number"),
			"isVirtual":      typed("boolean"),
		}, seed(seedSiteA10, map[string]any{"code": "A10", "description": "Head office", "permissionTreeId": a20,
			"sequenceNumber": "1", "siteTypeId": int64(seedSiteTypeFAC), "currencyId": int64(seedCurrencyZAR),
			"timeZoneOffset": 2.0, "isVirtual": false})),
		"Warehouse": coded("MM", "Warehouses", map[string]*Property{
			"notes":        str(false, false),
			"costCentreId": ref("CostCentre", false),
			"siteId":       ref("Site", true),
		}),
		"AssetImportance": coded("RISK", "AssetImportances", map[string]*Property{
			"notes":  str(false, false),
			"weight": typed("number"),
		}),
		"Alarm": coded("Core", "Alarms", map[string]*Property{"notes": str(false, false)}),
		"AssetType": coded("AM", "AssetTypes", map[string]*Property{"parentAssetTypeId": ref("AssetType", false)},
			seed(5000003001, map[string]any{"code": "BUI001", "description": "Buildings", "permissionTreeId": a20})),
		"RegularAsset": coded("AM", "RegularAssets", map[string]*Property{
			"costCentreId":  ref("CostCentre", false),
			"assetTypeId":   ref("AssetType", false),
			"siteId":        ref("Site", false),
			"commissioned":  typed("date"),
			"replacedCount": typed("integer"),
		}, seed(5000004001, map[string]any{"code": "FOL100", "description": "Office building", "permissionTreeId": a20,
			"costCentreId": int64(5000002003), "assetTypeId": int64(5000003001), "siteId": int64(seedSiteA10)})),
	}
}
